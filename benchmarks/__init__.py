"""The ingest benchmark: a synthetic archive, the monitor against the naive way and the floor.

Run it with ``python -m benchmarks`` from the repository (see docs/performance.md).
It is not part of the test run.
"""
