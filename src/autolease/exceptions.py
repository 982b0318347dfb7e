"""One error tree, one JSON shape.

    AutoleaseError (500)
    ├── NotFound (404)
    ├── Conflict (409)
    │   └── IdempotencyConflict (409)
    ├── Unauthenticated (401)
    ├── Forbidden (403)
    ├── ContentTooLarge (413)     # a body over the route's limit (the request guard)
    ├── TooManyRequests (429)     # carries a Retry-After header
    ├── BusinessRuleViolation (422)
    ├── InputInvalid (422)        # raised for request validation; carries field errors
    └── ExtraMissing (503)        # an optional extra (train, dask …) is not installed

Every error is rendered as
``{"error": "<ClassName>", "code": "<snake_code>", "detail": "...", "errors": [...]}``
where ``errors`` lists ``{"field", "rule", "message_en", "message_zh"}`` for input problems.
Declines and referrals are not errors: they are `Decision` values.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, ClassVar


@dataclass(frozen=True)
class FieldError:
    field: str
    rule: str
    message_en: str
    message_zh: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


class AutoleaseError(Exception):
    status_code: ClassVar[int] = 500
    code: ClassVar[str] = "internal_error"

    def __init__(self, detail: str, *, errors: list[FieldError] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []
        self.headers: dict[str, str] = {}

    def to_body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "error": type(self).__name__,
            "code": self.code,
            "detail": self.detail,
        }
        if self.errors:
            body["errors"] = [e.as_dict() for e in self.errors]
        return body


class NotFound(AutoleaseError):
    status_code = 404
    code = "not_found"


class Conflict(AutoleaseError):
    status_code = 409
    code = "conflict"


class IdempotencyConflict(Conflict):
    code = "idempotency_key_reused"


class Unauthenticated(AutoleaseError):
    status_code = 401
    code = "unauthenticated"


class Forbidden(AutoleaseError):
    status_code = 403
    code = "forbidden"


class ContentTooLarge(AutoleaseError):
    status_code = 413
    code = "content_too_large"


class TooManyRequests(AutoleaseError):
    status_code = 429
    code = "too_many_requests"

    def __init__(self, detail: str, *, retry_after_s: int) -> None:
        super().__init__(detail)
        self.headers["Retry-After"] = str(retry_after_s)


class BusinessRuleViolation(AutoleaseError):
    status_code = 422
    code = "business_rule"


class InputInvalid(AutoleaseError):
    status_code = 422
    code = "validation_error"


class ExtraMissing(AutoleaseError):
    """A library of an optional extra is not installed; the detail names the extra."""

    status_code = 503
    code = "extra_missing"
