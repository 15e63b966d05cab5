"""A workspace's data: the CSV export, retention of free text, and deleting everything."""
