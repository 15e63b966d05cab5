"""``/align``: vision and mission, admins, teams, help, and the door to the digest and workspace
data commands."""
