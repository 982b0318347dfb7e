"""Push synthetic applications through the API with a caller-supplied ``httpx.Client``.

Works with FastAPI's ``TestClient`` (in-process) or ``httpx.Client(base_url=...)``. No
database access: SPs and their API keys must exist already; the caller maps SP codes to keys.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from autolease.synth.payloads import SynthPayload


@dataclass(frozen=True)
class LoadResult:
    """Response to one submitted application."""

    application_id: int
    sp_code: str
    status_code: int
    body: Any
    elapsed_ms: float


def _key_for(api_keys: str | Mapping[str, str], sp_code: str) -> str | None:
    if isinstance(api_keys, str):
        return api_keys
    return api_keys.get(sp_code)


def load_applications(
    client: httpx.Client,
    payloads: Iterable[SynthPayload],
    api_keys: str | Mapping[str, str],
    *,
    path: str = "/v1/applications",
    skip_unknown_sp: bool = False,
) -> list[LoadResult]:
    """POST each payload with ``Authorization: Bearer <key>`` and an ``Idempotency-Key``.

    Parameters
    ----------
    client : httpx.Client
        Configured with the base URL (or a ``TestClient``).
    payloads : iterable of SynthPayload
    api_keys : str or mapping of str to str
        One key for all, or the key of each SP code.
    path : str
        Endpoint path.
    skip_unknown_sp : bool
        Skip payloads whose SP has no key instead of raising ``KeyError``.

    Returns
    -------
    list of LoadResult
        In submission order; 4xx/5xx responses are returned, not raised.
    """
    results = []
    for payload in payloads:
        key = _key_for(api_keys, payload.sp_code)
        if key is None:
            if skip_unknown_sp:
                continue
            raise KeyError(f"no API key for SP {payload.sp_code}")
        headers = {"Authorization": f"Bearer {key}", "Idempotency-Key": payload.idempotency_key}
        response = client.post(path, json=payload.body, headers=headers)
        try:
            body: Any = response.json()
        except ValueError:
            body = response.text
        elapsed = response.elapsed.total_seconds() * 1000 if _has_elapsed(response) else 0.0
        results.append(
            LoadResult(payload.application_id, payload.sp_code, response.status_code, body, elapsed)
        )
    return results


def _has_elapsed(response: httpx.Response) -> bool:
    try:
        response.elapsed  # noqa: B018 - raises when the response was not streamed by a client
    except RuntimeError:
        return False
    return True
