"""bot.kpis.service.blocks"""
