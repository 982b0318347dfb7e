"""Lease products, schedules, pricing and matching (arrives with its issue)."""
