"""``northstar demo``: a simulated month at a sample bakery, run through the real app and jobs
against the fake Slack."""
