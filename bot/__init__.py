"""Wiring: environment settings, the CLI, the HTTP server and the channel adapters.

Nothing below `bot` imports it: the core (scheduler, handlers, models) never sees a channel SDK.
"""
