"""bot.core"""
