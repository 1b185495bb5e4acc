"""Benchmarks for `make bench`: each figure side by side with a raw baseline, in one run."""
