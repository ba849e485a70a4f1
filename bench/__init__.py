"""Benchmarks: our scanner side by side with checkov on identical inputs, in one run."""
