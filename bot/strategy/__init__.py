"""The strategy around the goals: priorities, SWOT, periods and the quarterly review."""
