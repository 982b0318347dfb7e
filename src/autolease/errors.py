"""The one exception handler set: every error leaves as the same JSON shape.

Validation errors name the field and the rule, in English and Chinese, and never echo the
submitted value (it may be personal data).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from autolease.exceptions import AutoleaseError, FieldError, InputInvalid

log = logging.getLogger("autolease.errors")

UNION_TAGS = frozenset({"individual", "corporate"})
ZH_BY_TYPE = {
    "missing": "缺少必填字段",
    "extra_forbidden": "不允许的字段",
    "string_type": "应为字符串",
    "string_too_short": "长度过短",
    "string_too_long": "长度过长",
    "string_pattern_mismatch": "格式不正确",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "decimal_parsing": "应为数字",
    "decimal_max_places": "小数位数过多",
    "decimal_max_digits": "数字位数过多",
    "greater_than": "数值过小",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "less_than": "数值过大",
    "date_from_datetime_parsing": "日期格式应为YYYY-MM-DD",
    "date_parsing": "日期格式应为YYYY-MM-DD",
    "date_type": "日期格式应为YYYY-MM-DD",
    "literal_error": "取值不在允许范围内",
    "enum": "取值不在允许范围内",
    "union_tag_invalid": "类型取值不在允许范围内",
    "union_tag_not_found": "缺少类型字段",
    "json_invalid": "请求体不是有效的JSON",
    "ip_any_address": "IP地址格式不正确",
    "too_long": "条目过多",
    "model_attributes_type": "应为对象",
    "dict_type": "应为对象",
    "list_type": "应为数组",
    "bool_parsing": "应为布尔值",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "bool_type": "应为布尔值",
}


def field_errors(errors: Sequence[Any]) -> list[FieldError]:
    out = []
    for err in errors:
        ctx = err.get("ctx") or {}
        parts = [str(p) for p in err["loc"] if p not in ("body", "query", "header", "path")]
        parts = [p for p in parts if p not in UNION_TAGS]
        if isinstance(ctx.get("field"), str):
            parts.append(ctx["field"])
        message_zh = ctx.get("message_zh") or ZH_BY_TYPE.get(err["type"], "字段不符合要求")
        out.append(FieldError(".".join(parts) or "body", err["type"], err["msg"], str(message_zh)))
    return out


async def _autolease_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AutoleaseError)
    return JSONResponse(exc.to_body(), status_code=exc.status_code, headers=exc.headers or None)


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    error = InputInvalid("the request is not valid", errors=field_errors(exc.errors()))
    return JSONResponse(error.to_body(), status_code=error.status_code)


async def _http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    name = {404: "NotFound", 405: "MethodNotAllowed"}.get(exc.status_code, "HTTPError")
    body = {"error": name, "code": name.lower(), "detail": str(exc.detail)}
    return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled %s on %s %s", type(exc).__name__, request.method, request.url.path)
    body = {"error": "AutoleaseError", "code": "internal_error", "detail": "internal error"}
    return JSONResponse(body, status_code=500)


def install(app: FastAPI) -> None:
    app.add_exception_handler(AutoleaseError, _autolease_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
