"""bot.workspace_data"""
