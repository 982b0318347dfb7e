"""The login form, its submission and logout of a surface: the same three routes for every
surface that has its own login page (`<surface.name>/login.html`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import RedirectResponse, Response

from autolease.dependencies import RuntimeDep, SessionDep
from autolease.web import cookies
from autolease.web.deps import CsrfDep
from autolease.web.login import log_in, log_out, login_csrf_ok, login_form_tokens, safe_next
from autolease.web.surface import Surface
from autolease.web.templates import render

Username = Annotated[str, Form(min_length=1, max_length=64)]
Password = Annotated[str, Form(min_length=1, max_length=200)]
CsrfField = Annotated[str, Form(max_length=100)]
NextField = Annotated[str, Form(max_length=500)]
NextQuery = Annotated[str, Query(max_length=500)]


def add_login_routes(router: APIRouter, surface: Surface) -> None:
    """`GET`/`POST {prefix}/login` and `POST {prefix}/logout` on the surface's `router`; after
    a login the user lands on `next` when it is a page of this surface, else its home."""
    home = surface.prefix + "/"
    template = f"{surface.name}/login.html"

    def page(
        request: Request, next_path: str, error: str | None = None, status: int = 200
    ) -> Response:
        token, cookie_value = login_form_tokens(request)
        context = {"csrf_token": token, "next": next_path, "error": error}
        response = render(request, template, context, status=status)
        cookies.set_login_csrf(request, response, cookie_value)
        return response

    @router.get("/login")
    def login_form(request: Request, next: NextQuery = home) -> Response:
        return page(request, safe_next(next, home))

    @router.post("/login")
    def login_submit(
        request: Request,
        runtime: RuntimeDep,
        username: Username,
        password: Password,
        csrf_token: CsrfField = "",
        next: NextField = home,
    ) -> Response:
        target = safe_next(next, home)
        if not target.startswith(surface.prefix):
            target = home
        if not login_csrf_ok(request, csrf_token):
            return page(request, target, error="csrf", status=403)
        outcome = log_in(request, runtime, surface, username=username, password=password)
        if outcome.cookie_value is None:
            return page(request, target, error=outcome.error, status=outcome.status)
        response = RedirectResponse(target, status_code=303)
        cookies.set_session(request, response, outcome.cookie_value)
        return response

    @router.post("/logout")
    def logout(request: Request, session: SessionDep, runtime: RuntimeDep, _: CsrfDep) -> Response:
        log_out(session, request, runtime, surface)
        response = RedirectResponse(surface.login_path, status_code=303)
        cookies.clear_session(request, response)
        return response
