"""bot.goals"""
