"""Load benchmarks of the router against Apollo's gateway. Scripts, not tests: run them
with ``python -m tests.benchmarks.<name>`` (see docs/benchmarks/router.md)."""
