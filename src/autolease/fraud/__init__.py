"""Anti-fraud: velocity, device, relationship graph, fraud model (arrives with its issue)."""
