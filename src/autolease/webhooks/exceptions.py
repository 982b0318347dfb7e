from __future__ import annotations

from autolease.exceptions import FieldError, Forbidden, InputInvalid, NotFound


class EndpointNotFound(NotFound):
    code = "webhook_endpoint_not_found"


class EventNotFound(NotFound):
    code = "webhook_event_not_found"


class WebhookInputInvalid(InputInvalid):
    @classmethod
    def of(cls, field: str, rule: str, en: str, zh: str) -> WebhookInputInvalid:
        return cls(f"{field}: {en}", errors=[FieldError(field, rule, en, zh)])


class NotForThisSp(Forbidden):
    code = "webhook_sp_required"
