"""Benchmarks: run one with `python -m bench.NAME` from the repository root."""
