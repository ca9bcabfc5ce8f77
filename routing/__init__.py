"""Samvaad: routing."""
