"""The weekly alignment digest (``/align digest``): its source, the pure build, the chart, the
channel post and thread, and posting exactly once per channel and week."""
