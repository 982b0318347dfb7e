"""Backtests: replay history through two policies with the service's own pure functions."""
