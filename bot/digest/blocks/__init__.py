"""Block Kit of the digest: the channel post, its lines and its thread (pure builders)."""
