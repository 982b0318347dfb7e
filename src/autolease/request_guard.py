"""The request guard: plain ASGI, in front of routing, so nothing is parsed before it.

For a request to a known route it, in this order:

1. answers **401** when the route needs a credential and the request carries none that could
   be one (no ``X-Api-Key``, no ``Authorization: Bearer ak_…/st_…``), without reading the
   body; the real authentication still happens in the endpoint, as before;
2. answers **422** when a path or query parameter holds a control character;
3. reads the body up to the route's limit and answers **413** as soon as the declared
   ``Content-Length`` or the bytes read so far exceed it (it never buffers more);
4. decodes a JSON body under `kit.input_policy` (UTF-8, no NaN/Infinity, no duplicate keys,
   no control characters) and answers **422** naming the field;

and then hands the body on. Every answer is in the project's error shape. A route needs a
credential when its dependencies read the ``Authorization`` or ``X-Api-Key`` header, so the
public routes (login, health, docs, the device collector) are public by construction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from fastapi.routing import iter_route_contexts
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from autolease.auth.dependencies import MISSING_CREDENTIAL, credential_of
from autolease.auth.secrets import API_KEY_PREFIX, TOKEN_PREFIX
from autolease.exceptions import (
    AutoleaseError,
    ContentTooLarge,
    FieldError,
    InputInvalid,
    Unauthenticated,
)
from autolease.kit.input_policy import InputRefused, control_character, loads, printable
from autolease.kit.input_policy import refused_text as _refused

CREDENTIAL_HEADERS = frozenset({"authorization", "x-api-key"})
MAX_CREDENTIAL_LENGTH = 200


@dataclass(frozen=True)
class RoutePolicy:
    needs_credential: bool
    max_body: int


class RouteTable:
    """Which policy applies to a method and path: fixed paths by dict, the rest by pattern."""

    def __init__(self) -> None:
        self.fixed: dict[tuple[str, str], RoutePolicy] = {}
        self.patterns: list[tuple[frozenset[str], re.Pattern[str], RoutePolicy]] = []

    @classmethod
    def of(cls, routes: Iterable[BaseRoute], limit_of: Callable[[str, str], int]) -> RouteTable:
        """The table of an application's routes; `limit_of(method, path)` gives body limits."""
        table = cls()
        for route in iter_route_contexts(list(routes)):
            path = route.path
            if path is None:
                continue
            dependant = getattr(route, "dependant", None)
            needs = dependant is not None and _reads_credentials(dependant)
            for method in route.methods or ():
                policy = RoutePolicy(needs, limit_of(method, path))
                if route.param_convertors:
                    table.patterns.append((frozenset({method}), route.path_regex, policy))
                else:
                    table.fixed[(method, path)] = policy
        return table

    def find(self, method: str, path: str) -> tuple[RoutePolicy, Mapping[str, str]] | None:
        fixed = self.fixed.get((method, path))
        if fixed is not None:
            return fixed, {}
        for methods, pattern, policy in self.patterns:
            if method in methods and (match := pattern.match(path)):
                return policy, match.groupdict()
        return None


def _reads_credentials(dependant: Any) -> bool:
    if {p.alias.lower() for p in dependant.header_params} & CREDENTIAL_HEADERS:
        return True
    return any(_reads_credentials(d) for d in dependant.dependencies)


class RequestGuard:
    def __init__(self, app: ASGIApp, *, table: RouteTable) -> None:
        self.app = app
        self.table = table

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        found = self.table.find(scope["method"], scope["path"]) if scope["type"] == "http" else None
        if found is None:
            await self.app(scope, receive, send)
            return
        try:
            body = await _admit(scope, receive, *found)
        except AutoleaseError as err:
            await JSONResponse(err.to_body(), status_code=err.status_code)(scope, receive, send)
            return
        if body is not None:
            await self.app(scope, _replay(body, receive), send)


async def _admit(
    scope: Scope, receive: Receive, policy: RoutePolicy, params: Mapping[str, str]
) -> bytes | None:
    """The body, once the request passed; None when the client went away."""
    headers = Headers(scope=scope)
    if policy.needs_credential and not _carries_credential(headers):
        raise Unauthenticated(MISSING_CREDENTIAL)
    field = _refused_parameter(scope["path"], params, scope["query_string"])
    if field is not None:
        raise _invalid(control_character(field))
    body = await _read_body(receive, headers, policy.max_body)
    if body and _is_json(headers):
        try:
            loads(body)
        except InputRefused as refused:
            raise _invalid(refused) from None
    return body


def _carries_credential(headers: Headers) -> bool:
    credential = credential_of(
        authorization=headers.get("authorization"), x_api_key=headers.get("x-api-key")
    )
    return (
        credential is not None
        and len(credential) <= MAX_CREDENTIAL_LENGTH
        and credential.startswith((API_KEY_PREFIX, TOKEN_PREFIX))
    )


def _refused_parameter(path: str, params: Mapping[str, str], query: bytes) -> str | None:
    """The name of the first path or query parameter holding a refused character."""
    if _refused(path):
        return next((name for name, value in params.items() if _refused(value)), "path")
    if not query:
        return None
    for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
        if _refused(name) or _refused(value):
            return printable(name)
    return None


async def _read_body(receive: Receive, headers: Headers, limit: int) -> bytes | None:
    declared = headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive channel that gives the body already read, then the client's next message."""
    given = False

    async def again() -> Message:
        nonlocal given
        if given:
            return await receive()
        given = True
        return {"type": "http.request", "body": body, "more_body": False}

    return again


def _is_json(headers: Headers) -> bool:
    """As FastAPI decides to parse a body as JSON: ``application/json`` or ``…+json``."""
    media_type = headers.get("content-type", "").partition(";")[0].strip().lower()
    main, _, sub = media_type.partition("/")
    return main == "application" and (sub == "json" or sub.endswith("+json"))


def _too_large(limit: int) -> ContentTooLarge:
    return ContentTooLarge(f"the body is larger than this route accepts ({limit} bytes)")


def _invalid(refused: InputRefused) -> InputInvalid:
    error = FieldError(refused.field, refused.rule, refused.message_en, refused.message_zh)
    return InputInvalid("the request is not valid", errors=[error])
