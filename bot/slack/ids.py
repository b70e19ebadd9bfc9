"""Names shared with Slack: the command, action ids and view callback ids. manifest.yml
declares the command; a test keeps the two in step."""

COMMAND = "/qpr"

CARRY_OVER = "carry_over"
PROPOSE_ANONYMOUSLY = "propose_anonymously"
OPEN_AGREE = "open_agree"
OPEN_JUDGE = "open_judge"
OPEN_LINKS = "open_links"
OPEN_DETAIL = "open_detail"
CLOSE_REVIEW = "close_review"
NEED_DONE = "need_done"
NEED_MOVE = "need_move"
NEED_ANSWER = "need_answer"  # what was found, typed in the reminder itself

ANONYMOUS_VIEW = "anonymous_proposal"
AGREE_VIEW = "agree_outcomes"
SHORTLIST_VIEW = "shortlist_outcomes"
JUDGE_VIEW = "record_judgement"
LINKS_VIEW = "link_evidence"
SETTLE_NEED_VIEW = "settle_need"

SUPPORT_REACTIONS = ("+1", "thumbsup")
ACK_REACTION = "memo"

# The pulse after a review: one action id a point of the scale (unique within each
# question's block), the value naming the review and the question; and its comment.
PULSE_ANSWERS = tuple(f"pulse_{score}" for score in range(1, 6))
PULSE_COMMENT = "pulse_comment"
PULSE_COMMENT_VIEW = "pulse_comment"
