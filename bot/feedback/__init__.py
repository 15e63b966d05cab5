"""bot.feedback"""
