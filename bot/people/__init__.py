"""bot.people.lookup"""
