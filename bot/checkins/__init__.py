"""bot.checkins"""
