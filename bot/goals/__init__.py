"""Goals (``/goal``): company, team and personal objectives, their cascade, progress, status and
the alignment score."""
