"""Block Kit of the strategy room: the priorities and SWOT forms, the review post."""
