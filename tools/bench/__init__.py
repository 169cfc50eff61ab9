"""Benchmarks of the chassis, run by hand; figures live in docs/performance.md."""
