"""Credit risk: features, scorecard, gradient boosting PD (arrives with its issue)."""
