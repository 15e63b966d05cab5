"""Anonymous two-way feedback (``/pulse feedback``) and replies to survey comments: threads
relayed by DM between an unnamed author and admins or a lead."""
