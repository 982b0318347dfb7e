"""Governance use cases: model stages (`models`), policy changes (`policies`), serving."""
