"""A surface: one family of pages (the staff console, the SP's H5 pages) on the shared base."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter

from autolease.auth.principal import Role


@dataclass(frozen=True)
class SurfacePart:
    """More pages of a surface kept in their own package: its `router` (paths under the
    surface's prefix), `<package>/templates/` (named with the surface's prefix, looked up
    after the surface's own) and `<package>/locale/` (merged into the catalogues)."""

    package: str
    router: APIRouter


@dataclass(frozen=True)
class Surface:
    """`name` is the template prefix (`console/login.html`) and `prefix` the URL prefix.

    Templates live in `<package>/templates/`, catalogues in `<package>/locale/` (optional) and
    static files in `<package>/static/<name>/` when `has_static` (served as `/static/<name>/…`).
    Only `roles` may open a page of the surface; others get a 403 page. `parts` are more
    pages of the surface in packages of their own (`SurfacePart`).
    """

    name: str
    package: str
    prefix: str
    login_path: str
    roles: frozenset[Role]
    router: APIRouter
    has_static: bool = False
    parts: tuple[SurfacePart, ...] = ()

    @property
    def packages(self) -> tuple[str, ...]:
        """The surface's package and its parts' packages (templates and catalogues)."""
        return (self.package, *(p.package for p in self.parts))

    def owns(self, path: str) -> bool:
        return path == self.prefix or path.startswith(self.prefix + "/")
