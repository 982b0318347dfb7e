"""The credit grades and their default upper PD bounds (apart from `scaling`, so that the
settings read them without importing NumPy)."""

from __future__ import annotations

DEFAULT_PD_CUTOFFS = (0.02, 0.05, 0.10, 0.20)
GRADES = ("A", "B", "C", "D", "E")
