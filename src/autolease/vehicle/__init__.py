"""Vehicle: VIN, valuation, history, loan-to-value."""
