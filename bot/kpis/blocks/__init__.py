"""Block Kit of KPIs: messages and the KPI form (pure builders)."""
