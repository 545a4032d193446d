"""Benchmarks of drillcoach at growing library and history sizes (see bench/run.py)."""
