"""Northstar, the application: ``cli.py`` reads the command line, ``app/`` wires everything,
``core/``, ``slack/`` and ``people/`` are the foundation, and each feature has its own room."""
