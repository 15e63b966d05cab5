"""bot.pulse.blocks"""
