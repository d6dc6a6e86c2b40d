"""Wiring: settings, CLI, the HTTP server, channel adapters and the message catalogues.

Kept import-free so that `entraide parse` and the core can load `bot.texts` cheaply.
"""
