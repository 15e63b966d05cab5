"""bot.align"""
