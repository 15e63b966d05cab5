"""bot.home"""
