"""Block Kit of pulse surveys: the builder modal and results messages (pure builders)."""
