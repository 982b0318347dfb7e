"""Append-only audit trail with a hash chain."""
