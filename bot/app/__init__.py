"""bot.app.factory"""
