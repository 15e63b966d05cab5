"""bot.kpis.service"""
