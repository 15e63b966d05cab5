"""Re-exports ``fakeslack.blockkit`` for tests that import it from here."""

from fakeslack.blockkit import Violation, validate_message, validate_view

__all__ = ["Violation", "validate_message", "validate_view"]
