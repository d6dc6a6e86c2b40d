"""Channel-agnostic conversation logic: an inbound message in, replies out; and its texts.

Kept import-free so that `entraide parse` loads `handlers.nlu` cheaply. Never imports a channel
SDK (telegram, twilio): bot/channels/ translates."""
