"""Re-exports ``fakeslack.methods`` for tests that import it from here."""

from fakeslack.methods import JsonDict, SlackWorkspace, error

__all__ = ["JsonDict", "SlackWorkspace", "error"]
