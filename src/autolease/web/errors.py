"""Errors on the pages: an HTML page (or JSON for HTMX and API-style callers), never a 500
for bad input. `install(app)` wraps the API's handlers: paths outside every surface keep the
API's JSON error shape."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import cast
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, RedirectResponse, Response

from autolease.errors import field_errors
from autolease.exceptions import AutoleaseError
from autolease.web.templates import render, ui_of

Handler = Callable[[Request, Exception], Awaitable[Response]]


class PageError(Exception):
    """A page refused: status, a stable code and an English detail (translated on the page)."""

    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail = status, code, detail


def refused(exc: AutoleaseError) -> PageError:
    """The page's error for a use case's refusal: its status and code, and the first field
    error's Chinese message (or the detail)."""
    detail = exc.errors[0].message_zh if exc.errors else exc.detail
    return PageError(exc.status_code, exc.code, detail)


class LoginRequired(Exception):
    """No live session: a page GET is sent to the login page, anything else gets a 401."""


def wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def error_page(request: Request, status: int, code: str, detail: str) -> Response:
    if wants_json(request):
        body = {"error": "PageError", "code": code, "detail": detail}
        return JSONResponse(body, status_code=status)
    return render(
        request, "web/error.html", {"status": status, "code": code, "detail": detail}, status=status
    )


async def _page_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PageError)
    return error_page(request, exc.status, exc.code, exc.detail)


async def _login_required(request: Request, exc: Exception) -> Response:
    surface = ui_of(request).surface_of(request.url.path)
    login = surface.login_path if surface else "/console/login"
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    location = f"{login}?next={quote(target, safe='/')}"
    if request.method == "GET" and not is_htmx(request):
        return RedirectResponse(location, status_code=303)
    response = error_page(request, 401, "login_required", "please log in again")
    if is_htmx(request):
        response.headers["HX-Redirect"] = location
    return response


def _wrap(previous: Handler, to_page: Callable[[Exception], tuple[int, str, str]]) -> Handler:
    async def handle(request: Request, exc: Exception) -> Response:
        if ui_of(request).surface_of(request.url.path) is None and not request.url.path.startswith(
            "/web/"
        ):
            return await previous(request, exc)
        status, code, detail = to_page(exc)
        return error_page(request, status, code, detail)

    return handle


def _validation(exc: Exception) -> tuple[int, str, str]:
    assert isinstance(exc, RequestValidationError)
    fields = ", ".join(f"{e.field}: {e.message_en}" for e in field_errors(exc.errors()))
    return 422, "validation_error", fields or "the form is not valid"


def _domain(exc: Exception) -> tuple[int, str, str]:
    assert isinstance(exc, AutoleaseError)
    return exc.status_code, exc.code, exc.detail


def _http(exc: Exception) -> tuple[int, str, str]:
    assert isinstance(exc, StarletteHTTPException)
    return exc.status_code, {404: "not_found"}.get(exc.status_code, "http_error"), str(exc.detail)


def install(app: FastAPI) -> None:
    """Register the page handlers; call after `autolease.errors.install(app)`."""
    handlers = app.exception_handlers
    for kind, to_page in (
        (RequestValidationError, _validation),
        (AutoleaseError, _domain),
        (StarletteHTTPException, _http),
    ):
        previous = cast(Handler, handlers[kind])  # the API's handlers are all async
        app.add_exception_handler(kind, _wrap(previous, to_page))
    app.add_exception_handler(PageError, _page_error)
    app.add_exception_handler(LoginRequired, _login_required)
