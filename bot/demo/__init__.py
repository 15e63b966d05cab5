"""bot.demo.run"""
