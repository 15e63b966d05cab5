"""bot.goals.blocks"""
