"""The record of a review as files to keep and share."""
