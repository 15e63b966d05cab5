"""bot.digest.blocks"""
