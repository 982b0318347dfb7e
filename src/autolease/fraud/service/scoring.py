"""Load the registered fraud model (once per process) and build the stage and prefetchers."""

from __future__ import annotations

import csv
import logging
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

from autolease.fraud.exceptions import FraudDataInvalid, FraudModelInvalid, FraudModelNotFound
from autolease.fraud.ipregions import CidrRegions, IpRegionResolver, NoRegions
from autolease.fraud.keys import DEFAULT_POLICY, LinkPolicy
from autolease.fraud.model import FraudModel
from autolease.fraud.service.prefetch import DevicePrefetcher, GraphPrefetcher, VelocityPrefetcher
from autolease.fraud.settings import FraudSettings
from autolease.fraud.stage import FraudRules, FraudStage
from autolease.ml import registry
from autolease.ml.registry import ArtifactError

log = logging.getLogger(__name__)
MODEL_NAME = "fraud_gbm"
_lock = threading.Lock()
_models: dict[tuple[str, str], FraudModel | None] = {}
_regions: dict[str, IpRegionResolver] = {}


def load_model(path: Path) -> FraudModel:
    """Load and verify a model folder (the one holding ``manifest.json``)."""
    try:
        artifact = registry.load_dir(path)
    except ArtifactError as exc:
        if "no manifest" in str(exc):
            raise FraudModelNotFound(f"no model at {path}") from exc
        raise FraudModelInvalid(str(exc)) from exc
    return _model(artifact)


def resolve_model(root: Path, ref: str) -> FraudModel:
    """Load ``name@version`` or ``name@latest`` from the registry under `root`."""
    name, _, version = ref.partition("@")
    if version in ("", "latest") and not registry.versions(root, name):
        raise FraudModelNotFound(f"no versions of {name!r} under {root}")
    try:
        artifact = registry.resolve(root, ref)
    except ArtifactError as exc:
        if "no manifest" in str(exc):
            raise FraudModelNotFound(f"no model {ref} under {root}") from exc
        raise FraudModelInvalid(str(exc)) from exc
    return _model(artifact)


def _model(artifact: registry.LoadedArtifact) -> FraudModel:
    m = artifact.manifest
    try:
        return FraudModel.from_files(artifact.files, name=m.name, version=m.version)
    except (KeyError, ValueError, TypeError) as exc:
        raise FraudModelInvalid(f"{m.ref}: {exc}") from exc


def cached_model(artifacts_dir: Path, ref: str | None) -> FraudModel | None:
    """The process-wide model for (dir, ref); ``None`` when none is registered.

    A model whose files fail their hashes raises `FraudModelInvalid` (the process must not
    start on a tampered model).
    """
    if ref is None:
        return None
    key = (str(Path(artifacts_dir).resolve()), ref)
    with _lock:
        if key not in _models:
            try:
                _models[key] = resolve_model(Path(artifacts_dir), ref)
            except FraudModelNotFound:
                log.warning("fraud model %s not found under %s", ref, artifacts_dir)
                _models[key] = None
        return _models[key]


def clear_cache() -> None:
    with _lock:
        _models.clear()
        _regions.clear()


def rules_of(settings: FraudSettings) -> FraudRules:
    return FraudRules(
        ring_min_other_ids=settings.ring_min_other_ids,
        device_min_other_ids=settings.device_min_other_ids,
        device_min_other_sps=settings.device_min_other_sps,
        id_min_other_sps_30d=settings.id_min_other_sps_30d,
    )


def build_fraud_stage(
    settings: FraudSettings, artifacts_dir: Path, champion: str | None
) -> FraudStage:
    """The fraud stage serving `champion` (``None`` → rules only, and refer)."""
    model = cached_model(artifacts_dir, champion) if settings.enabled else None
    return FraudStage(
        model=model,
        rules=rules_of(settings),
        top_reasons=settings.top_reasons,
        refer_threshold=settings.refer_threshold,
    )


def link_policy(settings: FraudSettings) -> LinkPolicy:
    return replace(DEFAULT_POLICY, lookback_days=settings.lookback_days)


def load_ip_regions(path: Path) -> IpRegionResolver:
    """A ``cidr,region`` CSV (header optional) as a resolver."""
    key = str(Path(path).resolve())
    with _lock:
        if key not in _regions:
            _regions[key] = _read_regions(Path(path))
        return _regions[key]


def _read_regions(path: Path) -> IpRegionResolver:
    try:
        with path.open(encoding="utf-8") as fh:
            rows = [(r[0], r[1]) for r in csv.reader(fh) if len(r) >= 2 and "/" in r[0]]
        return CidrRegions.from_rows(rows)
    except (OSError, ValueError) as exc:
        raise FraudDataInvalid(f"fraud.ip_regions_file: cannot read {path}: {exc}") from exc


def resolver_of(settings: FraudSettings) -> IpRegionResolver:
    if settings.ip_regions_file is None:
        return NoRegions()
    return load_ip_regions(settings.ip_regions_file)


def build_fraud_prefetchers(settings: FraudSettings) -> tuple[Any, ...]:
    """Velocity, graph and device prefetchers, in that order."""
    return (
        VelocityPrefetcher(),
        GraphPrefetcher(link_policy(settings)),
        DevicePrefetcher(resolver_of(settings)),
    )
