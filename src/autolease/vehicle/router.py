"""Quick vehicle appraisal: ``POST /v1/vehicles/appraisal`` and ``GET /v1/vehicles/{vin}/decode``.

Both need an authenticated principal (staff or SP key). Nothing is stored: an appraisal is a
read-only calculation; the decision pipeline runs the same pieces for an application.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Path, Query

from autolease.auth.dependencies import PrincipalDep
from autolease.dependencies import RuntimeDep
from autolease.identity import formats
from autolease.kit.clock import business_date
from autolease.kit.money import round_money
from autolease.vehicle import service
from autolease.vehicle.schemas import (
    AppraisalIn,
    AppraisalOut,
    HistoryOut,
    LtvOut,
    ReasonOut,
    ResidualOut,
    ValuationOut,
    VinDecodeOut,
)
from autolease.vehicle.settings import VehicleSettings
from autolease.vehicle.vin import VinDecoded

router = APIRouter(prefix="/v1/vehicles", tags=["vehicles"])


def _money(value: float) -> Decimal:
    return round_money(Decimal(str(value)))


def _decode_out(d: VinDecoded) -> VinDecodeOut:
    return VinDecodeOut(
        vin=d.vin,
        wmi=d.wmi,
        vds=d.vds,
        vis=d.vis,
        check_digit_ok=d.check_digit_ok,
        model_year=d.model_year,
        warnings=list(d.warnings),
        manufacturer=d.manufacturer,
        country=d.country,
        region=d.region,
        brands=list(d.brands),
        brand_names=list(d.brand_names()),
    )


def vehicle_settings(runtime: RuntimeDep) -> VehicleSettings:
    """The runtime's vehicle settings once ``config.Settings`` has them; defaults until then."""
    found = getattr(runtime.settings, "vehicle", None)
    return found if isinstance(found, VehicleSettings) else VehicleSettings()


@router.get("/{vin}/decode", response_model=VinDecodeOut)
def decode_vin(
    vin: Annotated[str, Path(json_schema_extra={"pattern": formats.VIN})],
    _: PrincipalDep,
    registered: date | None = Query(default=None),
) -> VinDecodeOut:
    return _decode_out(service.decode(vin, registered))


@router.post("/appraisal", response_model=AppraisalOut)
def appraise(body: AppraisalIn, runtime: RuntimeDep, _: PrincipalDep) -> AppraisalOut:
    settings = vehicle_settings(runtime)
    valuer = service.cached_valuer(
        runtime.settings.artifacts_dir, runtime.serving.valuation, num_threads=settings.num_threads
    )
    result = service.appraise(
        service.AppraisalRequest(**body.model_dump()),
        valuer=valuer,
        history=service.history_provider(settings.history_book_dir),
        today=business_date(runtime.clock.now()),
        ltv_basis=settings.ltv_basis,
        price_tolerance=settings.price_tolerance,
    )
    v, r, h, ltv = result.valuation, result.residual, result.history, result.ltv
    return AppraisalOut(
        decode=_decode_out(result.decoded),
        brand_agreement=result.brand_agreement,
        age_years=result.age_years,
        valuation=ValuationOut(
            p10=_money(v.p10), p50=_money(v.p50), p90=_money(v.p90), model=v.model_ref
        )
        if v
        else None,
        residual=ResidualOut(
            term_months=r.term_months,
            age_years_at_end=r.age_years_at_end,
            mileage_km_at_end=r.mileage_km_at_end,
            p10=_money(r.p10),
            p50=_money(r.p50),
            p90=_money(r.p90),
            rate=round(r.rate, 4),
            extrapolated_years=r.extrapolated_years,
            method=r.method,
        )
        if r
        else None,
        history=HistoryOut(
            available=h.available,
            score=h.score,
            accident_grade=h.accident_grade,
            flood=h.flood,
            fire=h.fire,
            total_loss=h.total_loss,
            severe_accident=h.severe_accident,
            odometer_rollback=h.rollback,
            claims=h.claims,
            transfers=h.transfers,
            last_odometer_km=h.last_odometer_km,
        ),
        ltv=LtvOut(ratio=ltv.ratio, basis=ltv.basis, basis_value=ltv.basis_value) if ltv else None,
        reasons=[ReasonOut(**vars(x)) for x in result.reasons],
    )
