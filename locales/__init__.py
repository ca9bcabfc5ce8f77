"""Samvaad: locales."""
