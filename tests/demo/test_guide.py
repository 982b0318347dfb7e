"""The demo's closing output: staff logins and where to go next (no server, no database)."""

from __future__ import annotations

from rich.console import Console

from autolease.demo.guide import print_next_steps
from autolease.demo.jobs import DemoSummary
from autolease.seeding import load_yaml

BASE = "http://127.0.0.1:8123"


def printed(*, serving: bool) -> str:
    console = Console(record=True, width=400, color_system=None)
    print_next_steps(console, load_yaml("demo_users.yaml"), base_url=BASE, serving=serving)
    return console.export_text()


class TestNextSteps:
    def test_every_demo_user_is_listed_with_role_and_password(self) -> None:
        text = printed(serving=True)
        users = load_yaml("demo_users.yaml")
        assert len(users) >= 4
        for user in users:
            line = next(row for row in text.splitlines() if f" {user['username']} " in row)
            assert user["password"] in line
            assert user["role"] in line

    def test_urls_login_and_sp_key(self) -> None:
        text = printed(serving=True)
        for url in (f"{BASE}/docs", f"{BASE}/health", f"{BASE}/v1/applications", f"{BASE}/h5/"):
            assert url in text
        assert f"curl -s -X POST {BASE}/v1/auth/token" in text
        assert '"username":"admin","password":"demo-admin-password"' in text
        assert "autolease sp issue-key SP-SH-001" in text
        assert f"{BASE}/v1/sps/SP-SH-001/api-keys" in text

    def test_stop_and_restart_follow_the_serve_flag_and_port(self) -> None:
        serving, stopped = printed(serving=True), printed(serving=False)
        assert "Ctrl-C" in serving
        assert "Ctrl-C" not in stopped
        assert "has stopped" in stopped
        assert "autolease serve --port 8123" in serving
        assert "autolease serve --port 8123" in stopped

    def test_restart_port_can_differ_from_the_run_port(self) -> None:
        console = Console(record=True, width=400, color_system=None)
        users = load_yaml("demo_users.yaml")
        print_next_steps(console, users, base_url=BASE, serving=False, serve_port=8000)
        text = console.export_text()
        assert "autolease serve --port 8000" in text
        assert "--port 8123" not in text


class TestSummaryJson:
    def test_counts_shares_and_latency(self) -> None:
        summary = DemoSummary(submitted=4, latencies_ms=[10.0, 20.0, 30.0, 40.0])
        summary.outcomes.update({"approve": 1, "refer": 1, "decline": 2})
        summary.reasons.update({"LTV_ABOVE_MAX": 2})
        data = summary.as_dict()
        assert data["outcomes"] == {"decline": 2, "approve": 1, "refer": 1}
        assert data["shares"] == {"decline": 0.5, "approve": 0.25, "refer": 0.25}
        assert data["reasons"] == {"LTV_ABOVE_MAX": 2}
        assert data["latency_ms"]["p50"] == 25.0

    def test_empty_summary_has_no_shares(self) -> None:
        assert DemoSummary().as_dict()["shares"] == {}
