"""Talking to Slack: the Web API client, Slack errors, installations and their encrypted tokens,
message payloads, the one reader of submitted forms, the one fan-out loop, replies by DM or
response URL. Knows no feature."""
