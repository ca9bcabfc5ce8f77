"""Samvaad: workers."""
