"""A surface: one family of pages (the staff console, the SP's H5 pages) on the shared base."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter

from autolease.auth.principal import Role


@dataclass(frozen=True)
class Surface:
    """`name` is the template prefix (`console/login.html`) and `prefix` the URL prefix.

    Templates live in `<package>/templates/`, catalogues in `<package>/locale/` (optional) and
    static files in `<package>/static/<name>/` when `has_static` (served as `/static/<name>/…`).
    Only `roles` may open a page of the surface; others get a 403 page.
    """

    name: str
    package: str
    prefix: str
    login_path: str
    roles: frozenset[Role]
    router: APIRouter
    has_static: bool = False

    def owns(self, path: str) -> bool:
        return path == self.prefix or path.startswith(self.prefix + "/")
