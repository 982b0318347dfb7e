"""External identity checks: carrier three-factor, bank-card four-factor, bureau, court lists.

Each check is a small protocol (`checks`) with a local implementation over a synthetic
book's tables (`local.LocalRegistry`); `service.IdentityChecksPrefetcher` calls them before
the stages run and `stage.ExternalChecksStage` turns the results into reason codes.
"""

__all__: list[str] = []
