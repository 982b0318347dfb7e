"""Anti-fraud: velocity, device fingerprints, the relationship graph, rings and the model.

Pure modules: `keys`, `links`, `velocity`, `neighbourhood`, `rings`, `ringscore`, `device`,
`regions`,
`ipregions`, `features`, `book`, `tabular`, `model`, `training`, `reasons`, `stage`.
I/O: `models`, `repository`, `service/`, `router`, `cli`. See docs/fraud.md.
"""

__all__: list[str] = []
