"""Weekly check-ins (``/checkin``): settings, rounds and prompts in each person's time zone,
answers, sharing in team channels, history."""
