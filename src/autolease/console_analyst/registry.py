"""Models: the registry in the store (every version and its stage), each version's manifest
and its report (the model card's figures, with charts)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from autolease.console.helpers import AnalystPage
from autolease.console_analyst import charts
from autolease.dependencies import RuntimeDep, SessionDep
from autolease.governance import repository
from autolease.ml import registry
from autolease.web.errors import PageError
from autolease.web.templates import render

router = APIRouter(prefix="/console/models", include_in_schema=False)


@router.get("")
def index(request: Request, session: SessionDep, _: AnalystPage) -> Response:
    rows = repository.model_versions(session)
    pending = repository.changes(session, subject="model", status="pending")
    return render(request, "console/models.html", {"models": rows, "pending": pending})


@router.get("/view/{ref:path}")
def detail(
    request: Request, ref: str, session: SessionDep, runtime: RuntimeDep, _: AnalystPage
) -> Response:
    name, _sep, version = ref.rpartition("@")
    row = repository.model_version(session, name, version) if name else None
    if row is None:
        raise PageError(404, "model_not_registered", f"no registered model {ref!r}")
    try:
        path = registry.artifact_dir(runtime.settings.artifacts_dir, name, version)
        manifest = registry.read_manifest(path)
    except (OSError, registry.ArtifactError) as exc:
        raise PageError(404, "model_files_missing", f"{ref}: the files cannot be read") from exc
    card: dict[str, Any] = manifest.card or {}
    context = {
        "model": row,
        "manifest": manifest,
        "card": card,
        "metrics": _flat(manifest.metrics),
        "approvals": repository.approved_changes(session, name, version),
        "importance_chart": _importance(
            card.get("importance") or [], [f.name for f in manifest.features]
        ),
        "calibration_chart": charts.table_chart((card.get("calibration") or {}).get("rows", [])),
        "stability_chart": charts.table_chart((card.get("stability") or {}).get("rows", [])),
    }
    return render(request, "console/model.html", context)


def _importance(rows: list[dict[str, Any]], inputs: list[str]) -> dict[str, Any] | None:
    """Horizontal bars of the card's importance rows (``{"feature", <measure>}``); a
    LightGBM column name ``f<i>`` is shown as the model's i-th input."""
    if not rows:
        return None
    measure = next((k for k in rows[0] if k != "feature"), None)
    if measure is None:
        return None
    top = list(reversed(rows[:20]))
    return charts.bars(
        [_input_name(str(r["feature"]), inputs) for r in top],
        {measure: [r.get(measure) for r in top]},
        horizontal=True,
    )


def _input_name(feature: str, inputs: list[str]) -> str:
    index = feature[1:]
    if feature.startswith("f") and index.isdigit() and int(index) < len(inputs):
        return inputs[int(index)]
    return feature


def _flat(values: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """Nested metrics as (dotted name, value) rows."""
    out: list[tuple[str, Any]] = []
    for key, value in values.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out += _flat(value, name + ".")
        else:
            out.append((name, value))
    return out
