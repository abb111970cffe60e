"""Moderation: the queue and decisions on figures, sources and rates, submissions, login, the figure form."""
