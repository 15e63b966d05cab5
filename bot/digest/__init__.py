"""bot.digest"""
