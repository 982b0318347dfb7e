"""Reason codes: the catalogue of every code the system can emit, its texts and what to do."""
