"""Persistence: SQLModel tables, engine and sessions, repository functions, migrations."""
