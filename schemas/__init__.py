"""Samvaad: schemas."""
