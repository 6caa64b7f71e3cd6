"""The benchmark suite of eigenvue-tui: one module per measurement (see README.md)."""
