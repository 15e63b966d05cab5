"""The App Home tab: each person's dashboard, gathered in a fixed number of queries."""
