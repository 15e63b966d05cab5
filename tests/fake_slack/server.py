"""Re-exports ``fakeslack.server`` for tests that import it from here."""

from fakeslack.server import Call, FakeSlack

__all__ = ["Call", "FakeSlack"]
