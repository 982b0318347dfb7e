"""Vehicle use cases: load the valuer, build the stage, appraise a car, train and evaluate.

The valuer is loaded lazily and cached per (artifacts dir, reference, threads), so the API and
the CLI share one loaded model per process without touching ``runtime.py``; a missing model is
not an error here — the stage and the appraisal then report VALUATION_UNAVAILABLE.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from autolease.identity.identifiers import IdentifierError
from autolease.kit.clock import Clock, SystemClock
from autolease.kit.guard import ProviderCallSettings, ProviderGuard, is_remote
from autolease.ml import registry
from autolease.origination.pipeline import Severity
from autolease.vehicle.columns import canonical_frame, parse_mapping
from autolease.vehicle.evaluation import brand_errors, drift_check, input_report
from autolease.vehicle.exceptions import VinInvalid
from autolease.vehicle.features import Valuation, ValuationInput, Valuer
from autolease.vehicle.history import (
    EmptyHistoryProvider,
    HistoryAssessment,
    HistoryProvider,
    VehicleHistory,
    assess_history,
)
from autolease.vehicle.ltv import Ltv, LtvBasis, compute_ltv
from autolease.vehicle.repository import ParquetHistoryProvider, read_price_table
from autolease.vehicle.residual import Residual, residual_value
from autolease.vehicle.settings import VehicleSettings
from autolease.vehicle.stage import VehicleStage
from autolease.vehicle.valuation import (
    LgbmValuer,
    TrainConfig,
    TrainedModel,
    add_derived,
    price_metrics,
    train,
)
from autolease.vehicle.vin import VinDecoded, brand_agreement, decode_vin

log = logging.getLogger(__name__)
VALUATION_NAME = "valuation"

_lock = threading.Lock()
_valuers: dict[tuple[str, str, int], LgbmValuer | None] = {}
_histories: dict[str, HistoryProvider] = {}


# ----------------------------------------------------------------------------- loading


def artifact_path(out: Path, name: str = VALUATION_NAME) -> tuple[Path, str]:
    """``--out`` is an artifacts root, or a ``<root>/<name>`` folder: return (root, name)."""
    out = Path(out)
    if out.name == name or (out / registry.MANIFEST).exists():
        return out.parent, out.name
    return out, name


def load_valuer(artifacts_dir: Path, ref: str, *, num_threads: int = 1) -> LgbmValuer:
    """Resolve ``name@version|latest`` under ``artifacts_dir`` (or an artifact folder)."""
    path = Path(artifacts_dir)
    if (path / registry.MANIFEST).exists():
        loaded = registry.load_dir(path)
    else:
        loaded = registry.resolve(path, ref)
    return LgbmValuer.from_files(loaded.files, ref=loaded.manifest.ref, num_threads=num_threads)


def cached_valuer(
    artifacts_dir: Path, ref: str | None, *, num_threads: int = 1
) -> LgbmValuer | None:
    """The process-wide valuer for (dir, ref); None when no such model is registered."""
    if ref is None:
        return None
    key = (str(Path(artifacts_dir).resolve()), ref, num_threads)
    with _lock:
        if key not in _valuers:
            try:
                valuer = load_valuer(Path(artifacts_dir), ref, num_threads=num_threads)
                valuer.value(ValuationInput("大众", None, 3.0, 45_000.0))  # warm up, off the clock
                _valuers[key] = valuer
            except registry.ArtifactError as err:
                log.warning("valuation model %s unavailable: %s", ref, err)
                _valuers[key] = None
        return _valuers[key]


def clear_cache() -> None:
    with _lock:
        _valuers.clear()
        _histories.clear()


def history_provider(book_dir: Path | None) -> HistoryProvider:
    if book_dir is None:
        return EmptyHistoryProvider()
    key = str(Path(book_dir).resolve())
    with _lock:
        if key not in _histories:
            _histories[key] = ParquetHistoryProvider(Path(book_dir))
        return _histories[key]


@dataclass(frozen=True)
class GuardedHistoryProvider:
    """A history provider called through a `ProviderGuard` (time limit if remote, breaker):
    a failure raises `ProviderFailed`, which the stage turns into HISTORY_CHECK_TIMEOUT or
    HISTORY_CHECK_UNAVAILABLE."""

    provider: HistoryProvider
    guard: ProviderGuard

    @property
    def name(self) -> str:
        return self.provider.name

    def lookup(self, vin: str, *, as_of: date) -> VehicleHistory | None:
        return self.guard.call(self.provider.lookup, vin=vin, as_of=as_of)


def guarded_history(
    provider: HistoryProvider, calls: ProviderCallSettings, clock: Clock
) -> GuardedHistoryProvider:
    guard = ProviderGuard(
        f"vehicle_history:{provider.name}",
        remote=is_remote(provider),
        settings=calls,
        clock=clock,
    )
    return GuardedHistoryProvider(provider, guard)


def build_vehicle_stage(
    settings: VehicleSettings,
    artifacts_dir: Path,
    champion: str | None,
    clock: Clock | None = None,
) -> VehicleStage:
    """The vehicle stage valuing with `champion` (``name@version``; None: no valuation) and its
    (guarded) history provider."""
    history = history_provider(settings.history_book_dir)
    return VehicleStage(
        valuer=cached_valuer(
            artifacts_dir,
            champion if settings.valuation_model else None,
            num_threads=settings.num_threads,
        ),
        history=guarded_history(history, settings.history_calls, clock or SystemClock()),
        ltv_basis=settings.ltv_basis,
        price_tolerance=settings.price_tolerance,
        max_ltv=settings.max_ltv,
        unavailable_severity=Severity(settings.valuation_unavailable_severity),
    )


# ----------------------------------------------------------------------------- appraisal


@dataclass(frozen=True)
class AppraisalRequest:
    vin: str
    brand: str
    model: str | None
    first_registration_date: date
    mileage_km: int
    fuel_type: str | None = None
    transmission: str | None = None
    region: str | None = None
    asking_price: Decimal | None = None
    amount: Decimal | None = None
    term_months: int | None = None


@dataclass(frozen=True)
class ReasonOut:
    code: str
    severity: str
    message_en: str
    message_zh: str


@dataclass(frozen=True)
class Appraisal:
    decoded: VinDecoded
    brand_agreement: str
    age_years: float
    valuation: Valuation | None
    residual: Residual | None
    history: HistoryAssessment
    ltv: Ltv | None
    reasons: tuple[ReasonOut, ...]


def decode(vin: str, registered: date | None = None) -> VinDecoded:
    try:
        return decode_vin(vin, registered=registered)
    except IdentifierError as err:
        raise VinInvalid(f"vin: {err.message_en}") from None


def appraise(
    req: AppraisalRequest,
    *,
    valuer: Valuer | None,
    history: HistoryProvider,
    today: date,
    ltv_basis: LtvBasis = "p10",
    price_tolerance: float = 1.15,
) -> Appraisal:
    """A quick appraisal outside the pipeline: decode, value, residual, history, LTV."""
    decoded = decode(req.vin, req.first_registration_date)
    agreement = brand_agreement(req.brand, decoded)
    reasons: list[ReasonOut] = []
    if agreement == "mismatch":
        reasons.append(
            ReasonOut(
                "BRAND_MISMATCH",
                Severity.REFER.value,
                "declared brand does not match the VIN's manufacturer",
                "申报品牌与VIN厂商不符",
            )
        )
    age = max((today - req.first_registration_date).days / 365.25, 0.0)
    record = history.lookup(decoded.vin, as_of=today)
    hint = float(req.asking_price) if req.asking_price is not None else None
    assessment = assess_history(
        record, declared_km=req.mileage_km, age_years=age, as_of=today, value_hint=hint
    )
    reasons += [
        ReasonOut(f.code, f.severity.value, f.message_en, f.message_zh) for f in assessment.findings
    ]
    valuation = residual = None
    if valuer is None:
        reasons.append(
            ReasonOut(
                "VALUATION_UNAVAILABLE",
                Severity.REFER.value,
                "no valuation model is registered",
                "暂无车辆估值模型",
            )
        )
    else:
        item = ValuationInput(
            brand=req.brand,
            model=req.model,
            age_years=age,
            mileage_km=float(req.mileage_km),
            fuel=req.fuel_type,
            transmission=req.transmission,
            region=req.region,
            transfers=float(assessment.transfers) if assessment.available else None,
            accident_grade=float(assessment.accident_grade) if assessment.available else None,
        )
        valuation = valuer.value(item)
        residual = residual_value(valuer, item, req.term_months or 36, today=valuation)
        if (
            req.asking_price is not None
            and float(req.asking_price) > valuation.p50 * price_tolerance
        ):
            reasons.append(
                ReasonOut(
                    "PRICE_ABOVE_VALUE",
                    Severity.REFER.value,
                    "asking price is above the fair value (P50) by more than the tolerance",
                    "车辆报价高于公允估值（P50）超出容忍度",
                )
            )
    ltv = None
    if req.amount is not None and (valuation is not None or req.asking_price is not None):
        ltv = compute_ltv(req.amount, valuation, req.asking_price or Decimal(0), ltv_basis)
    return Appraisal(
        decoded, agreement, round(age, 3), valuation, residual, assessment, ltv, tuple(reasons)
    )


# ----------------------------------------------------------------------------- training


def load_frame(
    data: Path, columns: str | None, *, reference_year: float | None = None
) -> tuple[Any, dict[str, Any]]:
    table = read_price_table(Path(data))
    return canonical_frame(table, parse_mapping(columns), reference_year=reference_year)


def train_and_save(
    data: Path,
    out: Path,
    *,
    columns: str | None,
    version: str,
    created_at: str,
    config: TrainConfig,
    currency: str = "",
) -> tuple[registry.Manifest, TrainedModel]:
    frame, info = load_frame(data, columns)
    model = train(frame, config, currency=currency)
    root, name = artifact_path(out)
    manifest = registry.save(
        root,
        name,
        version,
        model.files,
        features=model.features,
        metrics=model.metrics,
        created_at=created_at,
        training_window={
            "data": Path(data).name,
            "rows": str(len(frame)),
            "age_source": str(info.get("age_source", "")),
            "reference_year": str(info.get("reference_year", "")),
            "mapping": json.dumps(info["mapping"], ensure_ascii=False, sort_keys=True),
        },
        params=model.params,
        card=model.card,
    )
    return manifest, model


def score_table(
    artifact: Path, data: Path, out: Path, *, columns: str | None, ref: str = "valuation@latest"
) -> dict[str, Any]:
    """Write the input table plus ``p10, p50, p90`` per row (CSV, or Parquet by suffix)."""
    valuer = load_valuer(Path(artifact), ref, num_threads=0)
    table = read_price_table(Path(data))
    frame, info = canonical_frame(table, parse_mapping(columns), labelled=False)
    p10, p50, p90 = valuer.value_frame(frame)
    scored = table.reset_index(drop=True).assign(
        p10=p10.round(2), p50=p50.round(2), p90=p90.round(2)
    )
    if Path(out).suffix.lower() in (".parquet", ".pq"):
        scored.to_parquet(out, index=False)
    else:
        scored.to_csv(out, index=False)
    enc = valuer.encoding
    inputs = input_report(table.columns, info, add_derived(frame), enc.features, enc.vocab)
    return {"model": valuer.ref, "rows": len(scored), "out": str(out), **inputs}


def evaluate(
    artifact: Path, data: Path, *, columns: str | None, ref: str = "valuation@latest"
) -> dict[str, Any]:
    """MAE, MAPE, R² and P10-P90 coverage of a saved model on a price table."""
    valuer = load_valuer(Path(artifact), ref, num_threads=0)
    table = read_price_table(Path(data))
    frame, info = canonical_frame(table, parse_mapping(columns))
    p10, p50, p90 = valuer.value_frame(frame)
    actual = frame["price"].to_numpy(dtype=float)
    enc = valuer.encoding
    inputs = input_report(table.columns, info, add_derived(frame), enc.features, enc.vocab)
    return {
        "model": valuer.ref,
        **price_metrics(actual, p10, p50, p90),
        **inputs,
        "by_brand": brand_errors(frame.get("brand"), actual, p50),
        "drift": drift_check(actual, p10, p50, p90),
    }
