"""KPIs (``/kpi``): numbers with targets and health, filled by hand or by a JSON/CSV source that
is fetched safely on a schedule."""
