"""Shared machine-learning plumbing: the artifact registry (manifest + sha256, no pickle)."""
