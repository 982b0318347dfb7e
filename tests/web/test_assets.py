"""Vendored assets match VENDOR.toml; no template, page or /docs loads from another host."""

from __future__ import annotations

import hashlib
import re
import tomllib
from importlib import resources
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from autolease.runtime import Runtime
from autolease.web.assets import VENDOR

STATIC = Path(str(resources.files("autolease.web"))) / "static"
MANIFEST = tomllib.loads((STATIC / "vendor" / "VENDOR.toml").read_text())["package"]
EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", re.I)
TEMPLATE_DIRS = [
    Path(str(resources.files(p))) / "templates" for p in ("autolease.web", "autolease.console")
]


@pytest.mark.parametrize("package", MANIFEST, ids=lambda p: p["name"])
def test_every_vendored_file_matches_its_pinned_sha256(package: dict[str, object]) -> None:
    files = package["files"]
    assert isinstance(files, dict)
    assert files
    folder = STATIC / "vendor" / str(package["name"]) / str(package["version"])
    assert (folder / "LICENSE").is_file()
    for member, pinned in files.items():
        data = (folder / Path(member).name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == pinned, member


def test_asset_paths_name_the_pinned_versions() -> None:
    pinned = {f"vendor/{p['name']}/{p['version']}/" for p in MANIFEST}
    for path in VENDOR.values():
        assert any(path.startswith(prefix) for prefix in pinned), path
        assert (STATIC / path).is_file()


def test_no_template_references_another_host() -> None:
    templates = [f for d in TEMPLATE_DIRS for f in d.rglob("*.html")]
    assert templates
    for template in templates:
        text = template.read_text()
        assert "http://" not in text, template
        assert "https://" not in text, template
        assert not EXTERNAL.search(text), template


def _local_only(html: str) -> None:
    assert not EXTERNAL.search(html), EXTERNAL.search(html)
    assert "cdn." not in html


def test_docs_load_swagger_ui_from_the_package(client: TestClient) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200
    _local_only(docs.text)
    assert "/static/vendor/swagger-ui-dist/" in docs.text
    assert client.get("/redoc").status_code == 404
    for url in re.findall(r"""["'](/static/[^"']+)["']""", docs.text):
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert "immutable" in asset.headers["cache-control"]


def test_pages_reference_only_local_urls(client: TestClient, seeded: Runtime) -> None:
    _local_only(client.get("/console/login").text)


def test_web_routes_stay_out_of_the_openapi_document(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert not [p for p in paths if p.startswith(("/console", "/web", "/docs", "/static"))]
