"""The channel team's tool: SP due diligence and status, deposits, limits, performance, grades."""
