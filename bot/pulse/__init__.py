"""bot.pulse"""
