"""The OpenAPI document, made true to what the service sends.

FastAPI documents a 422 as its own `HTTPValidationError`, documents no other error and lists
the credential headers as plain parameters. The service answers every error in one shape
(`exceptions.py`), so `install(app)` post-processes the generated document once, in one
place: each operation lists every 4xx it can return with the `Error` model below, the
credentials become security schemes, and FastAPI's validation schemas are dropped.

A 405 names in `Allow` every method the document lists for the path: Starlette named only
the method of the first route whose path matched (`POST` for `/v1/applications`).
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

REF = "#/components/schemas/{model}"
CREDENTIAL_HEADERS = frozenset({"authorization", "x-api-key"})
SECURITY_SCHEMES = {
    "bearer": {
        "type": "http",
        "scheme": "bearer",
        "description": "a staff access token (POST /v1/auth/token) or an SP API key",
    },
    "apiKey": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
}
DESCRIPTIONS = {
    400: "the body could not be read (bytes that are not UTF-8, or a broken form)",
    401: "missing, unknown, expired or revoked credentials",
    403: "this role may not do this, or the caller's SP is not active",
    404: "no such resource for this caller",
    409: "conflicts with the current state",
    413: "the request body is larger than this operation accepts",
    422: "the request is not valid; each field error names the field and the rule",
    429: "too many attempts or requests; retry after the Retry-After header's seconds",
}
FASTAPI_VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")


class FieldError(BaseModel):
    """One input problem: the field (dotted path), a stable rule code and the reason."""

    field: str
    rule: str
    message_en: str
    message_zh: str


class Error(BaseModel):
    """Every error the service sends: class name, snake_case code, detail, field errors."""

    error: str = Field(examples=["InputInvalid"])
    code: str = Field(examples=["validation_error"])
    detail: str
    errors: list[FieldError] = Field(default_factory=list)


def install(app: FastAPI) -> None:
    """Make `app.openapi()` return the post-processed document (built once, then cached)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = generate()
            true_to_the_service(document)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    async def method_not_allowed(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, HTTPException)
        allowed = allowed_methods(openapi(), request.url.path)
        headers = {"Allow": ", ".join(allowed)} if allowed else exc.headers
        body = {"error": "MethodNotAllowed", "code": "methodnotallowed", "detail": str(exc.detail)}
        return JSONResponse(body, status_code=405, headers=headers)

    app.add_exception_handler(405, method_not_allowed)


def allowed_methods(document: dict[str, Any], path: str) -> list[str]:
    """The methods of every documented path template that `path` fills in."""
    methods: set[str] = set()
    for template, item in document.get("paths", {}).items():
        parts = re.split(r"\{[^}/]+\}", template)
        if re.fullmatch("[^/]+".join(re.escape(part) for part in parts), path):
            methods |= {method.upper() for method in item}
    return sorted(methods)


def true_to_the_service(document: dict[str, Any]) -> None:
    components = document.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for name in FASTAPI_VALIDATION_SCHEMAS:
        schemas.pop(name, None)
    schemas.update(_error_schemas())
    components.setdefault("securitySchemes", {}).update(SECURITY_SCHEMES)
    for path_item in document.get("paths", {}).values():
        for operation in path_item.values():
            _document_operation(operation)


def _error_schemas() -> dict[str, Any]:
    schema = Error.model_json_schema(ref_template=REF)
    definitions = schema.pop("$defs", {})
    return {"Error": schema, **definitions}


def _document_operation(operation: dict[str, Any]) -> None:
    parameters = operation.get("parameters", [])
    credentials = [p for p in parameters if _is_credential(p)]
    kept = [p for p in parameters if not _is_credential(p)]
    if credentials:
        operation["security"] = [{"bearer": []}, {"apiKey": []}]
    if kept:
        operation["parameters"] = kept
    else:
        operation.pop("parameters", None)
    responses = operation.setdefault("responses", {})
    for status in _error_statuses(operation, kept, authenticated=bool(credentials)):
        responses.setdefault(str(status), {})
    for status, response in responses.items():
        if int(status) >= 400:
            _error_response(int(status), response)


def _is_credential(parameter: dict[str, Any]) -> bool:
    return parameter.get("in") == "header" and parameter["name"].lower() in CREDENTIAL_HEADERS


def _error_statuses(
    operation: dict[str, Any], parameters: list[dict[str, Any]], *, authenticated: bool
) -> set[int]:
    statuses: set[int] = set()
    if authenticated:
        statuses |= {401, 403, 429}  # 429: the per-key rate limit (`api.key_requests_per_minute`)
    if "requestBody" in operation:
        statuses |= {400, 413, 422}
    if parameters:
        statuses.add(422)
    if any(p.get("in") == "path" for p in parameters):
        statuses.add(404)
    return statuses


def _error_response(status: int, response: dict[str, Any]) -> None:
    description = response.get("description")
    if not description or description == "Validation Error":
        response["description"] = DESCRIPTIONS.get(status, "error")
    response["content"] = {"application/json": {"schema": {"$ref": REF.format(model="Error")}}}
