"""Kudos: thanking people for their work in a channel and by DM, optionally naming a goal."""
