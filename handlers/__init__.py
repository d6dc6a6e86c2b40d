"""Channel-agnostic conversation logic: an inbound message in, replies out.

Never imports a channel SDK (telegram, twilio): bot/channels/ translates."""
