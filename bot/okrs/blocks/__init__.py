"""Block Kit of key results: the form, and the lines under an objective."""
