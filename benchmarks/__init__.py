"""Benchmarks: answer quality, latency, memory, throughput and reload, against baselines.

Run with `python -m benchmarks.run --smoke` (quick, CI) or `--full` (writes docs/benchmarks.md).
A benchmark prints figures; it never passes or fails on a time.
"""
