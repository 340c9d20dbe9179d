"""Data shapes only: wire models and tables, no I/O."""
