"""The foundation every room stands on: settings, the runtime and its clock, errors, local time,
the request context, refs (``G-12``), numbers, checks of typed text, sealed anonymity. Imports
nothing of the project but ``storage``."""
