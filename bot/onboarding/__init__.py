"""Welcoming people who join: one DM with the plan they join."""
