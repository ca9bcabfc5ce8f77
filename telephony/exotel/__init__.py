"""Exotel, India's cloud telephony, beside Twilio: its webhooks (Passthru, the Connect and Gather applets'
dynamic URLs, status callbacks) turned into Samvaad's events, Samvaad's decisions turned into its answers
(200/302, JSON, plain text), and its REST API (a call placed, an SMS sent). See docs/exotel.md.

May import: ``routing``, ``locales``, ``schemas``, ``httpx``; never ``twilio``.
"""
