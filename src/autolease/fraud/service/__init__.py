"""Fraud use cases, split by use case.

* `prefetch` — the prefetchers of the intake (velocity, graph, device);
* `devices` — the collector's fingerprints → device identities;
* `labels` — confirmed-fraud labels;
* `scoring` — loading the model, building the stage and the prefetchers;
* `offline` — rings over a book or the store, training and evaluation.
"""

from autolease.fraud.service.scoring import build_fraud_prefetchers, build_fraud_stage

__all__ = ["build_fraud_prefetchers", "build_fraud_stage"]
