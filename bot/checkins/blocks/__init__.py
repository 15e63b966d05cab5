"""bot.checkins.blocks"""
