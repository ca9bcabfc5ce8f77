"""Webhooks the telephony provider calls: thin handlers that parse, decide through routing, and render."""
