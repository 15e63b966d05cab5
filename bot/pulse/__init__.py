"""Pulse surveys (``/pulse``): questions, the survey lifecycle, anonymous answers, results behind
the anonymity threshold, breakdowns, trends, charts and exports."""
