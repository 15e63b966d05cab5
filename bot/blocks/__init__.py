"""Pure Block Kit builders: data in, Slack payloads out."""
