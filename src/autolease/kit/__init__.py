"""Domain-free building blocks: money, clock, ids, crypto, masking."""
