"""Repository functions: module-level, keyword-only, scoped by ``team_id``; callers own commits."""
