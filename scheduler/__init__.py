"""Scheduled jobs and the APScheduler wrapper that triggers them; the run ledger makes each
period happen once, whoever triggers it."""
