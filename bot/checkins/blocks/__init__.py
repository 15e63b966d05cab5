"""Block Kit of check-ins: prompts, the answer and settings modals, lists, channel threads."""
