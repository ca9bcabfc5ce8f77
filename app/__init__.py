"""Samvaad: app."""
