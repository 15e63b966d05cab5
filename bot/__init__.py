"""Northstar: the application layer (config, app factory, CLI, services, Block Kit builders)."""
