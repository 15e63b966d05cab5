"""The composition root: the Bolt app and its handlers, the HTTP server and Socket Mode, the
scheduler beside them, OAuth installs, the secret key. The only room that imports ``handlers``
and ``scheduler``."""
