"""The cookies the pages set: HttpOnly, SameSite=Strict, Path=/, Secure over HTTPS."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from autolease.web.csrf import LOGIN_COOKIE
from autolease.web.i18n import LANG_COOKIE
from autolease.web.sessions import COOKIE_NAME
from autolease.web.templates import ui_of

YEAR = 365 * 24 * 3600


def is_https(request: Request) -> bool:
    """HTTPS by the request's scheme, or by `X-Forwarded-Proto` when a setting trusts it."""
    if request.url.scheme == "https":
        return True
    if ui_of(request).settings.trust_proxy_headers:
        return request.headers.get("x-forwarded-proto", "").split(",")[0].strip() == "https"
    return False


def _set(request: Request, response: Response, name: str, value: str, max_age: int | None) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="strict",
        secure=is_https(request),
    )


def set_session(request: Request, response: Response, value: str) -> None:
    """The session cookie; a browser-session cookie, the server enforces idle and expiry."""
    _set(request, response, COOKIE_NAME, value, None)


def clear_session(request: Request, response: Response) -> None:
    response.delete_cookie(
        COOKIE_NAME, path="/", httponly=True, samesite="strict", secure=is_https(request)
    )


def set_login_csrf(request: Request, response: Response, value: str) -> None:
    _set(request, response, LOGIN_COOKIE, value, 3600)


def set_lang(request: Request, response: Response, lang: str) -> None:
    _set(request, response, LANG_COOKIE, lang, YEAR)
