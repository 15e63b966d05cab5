"""Block Kit of goals: messages and the goal modals (pure builders)."""
