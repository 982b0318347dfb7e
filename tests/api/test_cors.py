"""CORS allow-list per SP origin: the device collector's cross-origin calls from an SP's page.

An allowed origin (an SP's list or settings) gets Access-Control-Allow-Origin and its
preflight a 204; another origin gets no CORS header and a 403 preflight (never 405). The
origins endpoints are admin-only, validate each origin, and 404 an unknown SP.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from autolease.app import create_app
from autolease.audit.models import AuditEvent
from autolease.cli import app as cli
from autolease.config import ApiSettings, get_settings
from autolease.dealer.origins import OriginInvalid, canonical_origin
from autolease.runtime import Runtime
from tests.factories import login, setup_tenants
from tests.fraud.test_device import LAPTOP

SP_PAGE = "https://h5.sp-a.example"
OTHER = "https://evil.example"
PREFLIGHT = {
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "content-type",
}
FINGERPRINT = {"signals": LAPTOP}


def allow(client: TestClient, headers: dict[str, str], origins: list[str]) -> httpx.Response:
    response: httpx.Response = client.put(
        "/v1/sps/SP-A/origins", json={"origins": origins}, headers=headers
    )
    return response


@pytest.fixture
def admin(client: TestClient, runtime: Runtime) -> dict[str, str]:
    setup_tenants(runtime)
    return login(client, "admin")


class TestCanonicalOrigin:
    @pytest.mark.parametrize(
        ("given", "canonical"),
        [
            ("https://H5.Example.CN", "https://h5.example.cn"),
            ("https://h5.example.cn:443", "https://h5.example.cn"),
            ("http://localhost:5173/", "http://localhost:5173"),
        ],
    )
    def test_as_a_browser_sends_it(self, given: str, canonical: str) -> None:
        assert canonical_origin(given) == canonical

    @pytest.mark.parametrize(
        "given", ["ftp://x.cn", "https://x.cn/page", "https://u:p@x.cn", "x.cn", "https://"]
    )
    def test_not_an_origin(self, given: str) -> None:
        with pytest.raises(OriginInvalid):
            canonical_origin(given)


class TestCollectorCalls:
    def test_an_allowed_origin_gets_the_headers_and_its_preflight(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        assert allow(client, admin, [SP_PAGE]).status_code == 200
        pre = client.options("/v1/device/fingerprints", headers={"Origin": SP_PAGE, **PREFLIGHT})
        assert pre.status_code == 204
        assert pre.headers["access-control-allow-origin"] == SP_PAGE
        assert "POST" in pre.headers["access-control-allow-methods"]
        assert "content-type" in pre.headers["access-control-allow-headers"]
        posted = client.post(
            "/v1/device/fingerprints", json=FINGERPRINT, headers={"Origin": SP_PAGE}
        )
        assert posted.status_code == 201
        assert posted.headers["access-control-allow-origin"] == SP_PAGE
        assert "Origin" in posted.headers["vary"]
        script = client.get("/v1/device/collector.js", headers={"Origin": SP_PAGE})
        assert script.headers["access-control-allow-origin"] == SP_PAGE

    def test_another_origin_gets_no_header_and_a_403_preflight(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        allow(client, admin, [SP_PAGE])
        pre = client.options("/v1/device/fingerprints", headers={"Origin": OTHER, **PREFLIGHT})
        assert pre.status_code == 403
        assert pre.json()["code"] == "origin_not_allowed"
        assert "access-control-allow-origin" not in pre.headers
        posted = client.post("/v1/device/fingerprints", json=FINGERPRINT, headers={"Origin": OTHER})
        assert posted.status_code == 201  # the browser, not the server, withholds the answer
        assert "access-control-allow-origin" not in posted.headers

    def test_a_removed_origin_is_refused_at_once(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        allow(client, admin, [SP_PAGE])
        allow(client, admin, [])
        pre = client.options("/v1/device/fingerprints", headers={"Origin": SP_PAGE, **PREFLIGHT})
        assert pre.status_code == 403

    def test_an_origin_from_settings_is_allowed_for_every_sp(self, runtime: Runtime) -> None:
        api = ApiSettings(cors_origins=["https://Portal.Example"])
        settings = runtime.settings.model_copy(update={"api": api})
        configured = Runtime(**{**runtime.__dict__, "settings": settings})
        with TestClient(create_app(runtime=configured)) as client:
            pre = client.options(
                "/v1/device/fingerprints",
                headers={"Origin": "https://portal.example", **PREFLIGHT},
            )
        assert pre.status_code == 204
        assert pre.headers["access-control-allow-origin"] == "https://portal.example"

    def test_a_bad_origin_in_settings_is_refused(self) -> None:
        with pytest.raises(ValueError, match="http or https"):
            ApiSettings(cors_origins=["ftp://x.cn"])

    def test_a_request_without_origin_is_untouched(self, client: TestClient) -> None:
        posted = client.post("/v1/device/fingerprints", json=FINGERPRINT)
        assert posted.status_code == 201
        assert "access-control-allow-origin" not in posted.headers


class TestOriginsEndpoints:
    def test_admin_sets_reads_and_the_change_is_audited(
        self, client: TestClient, runtime: Runtime, admin: dict[str, str]
    ) -> None:
        put = allow(client, admin, ["https://B.example", SP_PAGE, "https://b.example:443"])
        assert put.json() == {
            "sp_code": "SP-A",
            "origins": ["https://b.example", SP_PAGE],
        }
        got = client.get("/v1/sps/SP-A/origins", headers=admin)
        assert got.json()["origins"] == ["https://b.example", SP_PAGE]
        with runtime.sessions() as session:
            actions = session.scalars(select(AuditEvent.action)).all()
        assert "sp.origins_set" in actions

    @pytest.mark.parametrize("who", ["analyst", "reviewer", "sp_a_user"])
    def test_other_roles_are_refused(
        self, client: TestClient, admin: dict[str, str], who: str
    ) -> None:
        headers = login(client, who)
        assert allow(client, headers, [SP_PAGE]).status_code == 403
        assert client.get("/v1/sps/SP-A/origins", headers=headers).status_code == 403

    def test_an_sp_key_cannot_set_even_its_own(self, client: TestClient, runtime: Runtime) -> None:
        sp_a, _ = setup_tenants(runtime)
        assert allow(client, sp_a.headers, [SP_PAGE]).status_code == 403
        assert client.get("/v1/sps/SP-A/origins").status_code == 401

    @pytest.mark.parametrize(
        ("origins", "field"),
        [
            (["https://x.cn/path"], "origins.0"),
            (["https://ok.cn", "javascript:alert(1)"], "origins.1"),
            (["https://x.cn"] * 21, "origins"),
        ],
    )
    def test_bad_input_names_the_field_and_stores_nothing(
        self, client: TestClient, admin: dict[str, str], origins: list[str], field: str
    ) -> None:
        allow(client, admin, [SP_PAGE])
        refused = allow(client, admin, origins)
        assert refused.status_code == 422
        fields = [e["field"] for e in refused.json()["errors"]]
        assert field in fields
        assert client.get("/v1/sps/SP-A/origins", headers=admin).json()["origins"] == [SP_PAGE]

    def test_an_unknown_sp_is_404(self, client: TestClient, admin: dict[str, str]) -> None:
        put = client.put("/v1/sps/SP-NONE/origins", json={"origins": [SP_PAGE]}, headers=admin)
        assert put.status_code == 404
        assert client.get("/v1/sps/SP-NONE/origins", headers=admin).status_code == 404


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("AUTOLEASE_DB__URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("AUTOLEASE_SECURITY__KEYFILE", str(tmp_path / "keys.json"))
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


class TestCli:
    def test_set_origins(self, cli_env: Path) -> None:
        runner = CliRunner()
        assert runner.invoke(cli, ["migrate"]).exit_code == 0
        assert runner.invoke(cli, ["sp", "create", "SP-C", "来源测试", "上海"]).exit_code == 0
        done = runner.invoke(cli, ["sp", "set-origins", "SP-C", "https://H5.C.example"])
        assert done.exit_code == 0, done.output
        assert "https://h5.c.example" in done.stdout
        bad = runner.invoke(cli, ["sp", "set-origins", "SP-C", "ftp://c.example"])
        assert bad.exit_code == 2
        assert "http or https" in bad.stderr
