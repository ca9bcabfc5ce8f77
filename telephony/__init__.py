"""Samvaad: telephony."""
