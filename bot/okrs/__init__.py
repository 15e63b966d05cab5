"""Objectives and key results: a goal measured by up to five key results, each with its
value, target, weight, optional KPI binding, and the owner's confidence."""
