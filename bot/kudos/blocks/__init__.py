"""Block Kit of kudos: the channel post, the recipients' DM and the "Give kudos" form."""
