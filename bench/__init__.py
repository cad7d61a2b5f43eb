"""Benchmarks for issue 8: `python -m bench` prints one table; `--smoke` runs tiny sizes for CI."""
