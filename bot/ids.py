"""Names shared with Slack: the command, action ids and view callback ids. manifest.yml
declares the command; a test keeps the two in step."""

COMMAND = "/qpr"

CARRY_OVER = "carry_over"
PROPOSE_ANONYMOUSLY = "propose_anonymously"
OPEN_AGREE = "open_agree"

ANONYMOUS_VIEW = "anonymous_proposal"
AGREE_VIEW = "agree_outcomes"

SUPPORT_REACTIONS = ("+1", "thumbsup")
ACK_REACTION = "memo"
