"""Re-exports ``fakeslack.socket_mode`` for tests that import it from here."""

from fakeslack.socket_mode import SOCKET_MODE_PATH, SocketModeEndpoint

__all__ = ["SOCKET_MODE_PATH", "SocketModeEndpoint"]
