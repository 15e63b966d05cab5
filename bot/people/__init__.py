"""Who is who: members kept in step with Slack, teams and their leads, admins, who may change
what, and turning ``@ada`` into a member id."""
