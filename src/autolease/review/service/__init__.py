"""Review use cases, split by concern: opening cases, the queue, claims, verdicts,
information requests, the case file, reveals and the queue's figures. Never commit."""
