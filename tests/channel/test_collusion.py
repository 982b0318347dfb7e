"""Collusion signals: cross-SP links, rings and staff phones, per SP and month (pure), and
from the store through the grade run; the SP dashboard endpoints and the HTML report."""

from __future__ import annotations

import numpy as np
from fastapi.testclient import TestClient

from autolease.channel import collusion
from autolease.channel.grading import grade_all, load_policy, policy_inputs
from autolease.channel.performance import at_month, count
from autolease.decision.engine import PolicyEngine
from autolease.fraud.links import build_rows
from autolease.kit.clock import CHINA_TZ
from autolease.portfolio.simulate import SpPlan, simulate
from tests.channel.conftest import Channel
from tests.conftest import START
from tests.factories import make_body, submit

DAY = 86_400


def rows_of(apps: list[tuple[int, int, dict[str, str]]]) -> tuple[object, np.ndarray]:
    """Link rows from (sp, month, {kind: value}) per application."""
    app, kinds, values, times, sps = [], [], [], [], []
    for i, (sp, month, keys) in enumerate(apps):
        times.append(month * 30 * DAY)
        sps.append(sp)
        for kind, value in keys.items():
            app.append(i)
            kinds.append(kind)
            values.append(f"{kind.replace('contact_', '')}:{value}")
    index: dict[str, int] = {}
    keys_ = np.asarray([index.setdefault(v, len(index)) for v in values], dtype=np.int64)
    rows = build_rows(app, kinds, keys_, times, sps, list(range(len(apps))))
    return rows, np.asarray([m for _, m, _ in apps], dtype=np.int64)


class TestSignals:
    def test_a_value_shared_across_sps_links_from_the_month_the_other_sp_has_it(self) -> None:
        rows, months = rows_of(
            [
                (0, 0, {"phone": "1", "device": "d1"}),
                (0, 0, {"phone": "2", "device": "d1"}),  # same SP only: no cross-SP link
                (1, 2, {"phone": "3", "contact_phone": "1"}),  # names SP 0's applicant
                (1, 2, {"phone": "4"}),
            ]
        )
        since = collusion.cross_sp_since(rows, months)
        assert since.tolist() == [2, collusion.NEVER, 2, collusion.NEVER]
        signals = collusion.app_signals(rows, months, rings=False)
        early = collusion.at_month(signals, 2, month=1)
        late = collusion.at_month(signals, 2, month=2)
        assert early.counts["cross_sp"].tolist() == [0, 0]  # not known yet at month 1
        assert late.counts["cross_sp"].tolist() == [1, 1]
        assert late.applications.tolist() == [2, 2]
        assert "in_ring" not in late.counts  # left out, not guessed

    def test_staff_phone_counts_only_for_the_sps_own_staff(self) -> None:
        rows, months = rows_of(
            [
                (0, 0, {"phone": "1", "contact_phone": "900"}),
                (1, 0, {"phone": "2", "contact_phone": "900"}),  # SP 0's seller, not SP 1's
            ]
        )
        staff_key = int(rows.key[rows.kind_mask("contact_phone")][0])
        since = collusion.staff_since(rows, months, {staff_key: 0})
        assert since.tolist() == [0, collusion.NEVER]

    def test_colluding_sps_of_the_synthetic_book_carry_the_signals(self) -> None:
        book = simulate(60_000, seed=5, sps=SpPlan(count=60, links=True))
        assert book.sp_truth is not None
        signals = collusion.book_signals(book)
        figures = collusion.at_month(signals, 60, month=30)
        kind = np.asarray(book.sp_truth.kind)
        for signal in ("cross_sp", "in_ring", "staff_linked"):
            share = figures.share(signal)
            assert share[kind == "colluding"].mean() > 3 * share[kind == "good"].mean() + 0.01

    def test_the_grade_policy_reads_them(self) -> None:
        book = simulate(60_000, seed=5, sps=SpPlan(count=60, links=True))
        assert book.sp_truth is not None
        panel = book.panel
        counts = count(panel, panel.segments["sp"].codes, 60)
        graph = collusion.at_month(collusion.book_signals(book), 60, month=30)
        inputs = policy_inputs(at_month(counts, 30), collusion=graph)
        for row in inputs:  # the graph alone, before any contract has missed a payment
            row.update(dict.fromkeys(k for k in row if k.endswith("_ratio") and "_sp" not in k
                                     and "staff" not in k))  # fmt: skip
        graded = grade_all(PolicyEngine(), load_policy(), inputs)
        kind = np.asarray(book.sp_truth.kind)
        colluding = [g for g, k in zip(graded, kind, strict=True) if k == "colluding"]
        assert colluding
        assert all(g.grade == "D" for g in colluding)
        assert {g.code for g in colluding} <= {
            "SP_GRADE_D_RINGS",
            "SP_GRADE_D_STAFF_LINKS",
            "SP_GRADE_D_CONFIRMED_FRAUD",
        }
        good = [g for g, k in zip(graded, kind, strict=True) if k == "good"]
        assert sum(g.grade == "D" for g in good) <= 1


class TestStaffPhonesApi:
    def test_add_list_tenancy_roles_and_bad_input(
        self, client: TestClient, channel: Channel
    ) -> None:
        url = "/v1/sps/SP-A/staff-phones"
        r = client.post(url, json={"phone": "13800138000", "role": "seller"}, headers=channel.admin)
        assert r.status_code == 201, r.text
        assert "13800138000" not in r.text  # masked
        again = client.post(url, json={"phone": "13800138000", "role": "staff"},
                            headers=channel.admin)  # fmt: skip
        assert again.status_code == 409
        bad = client.post(url, json={"phone": "12345", "role": "seller"}, headers=channel.admin)
        assert bad.status_code == 422
        assert bad.json()["errors"][0]["field"].endswith("phone")
        denied = client.post(url, json={"phone": "13800138001", "role": "seller"},
                             headers=channel.a.headers)  # fmt: skip
        assert denied.status_code == 403
        assert len(client.get(url, headers=channel.a.headers).json()) == 1  # its own
        assert client.get(url, headers=channel.b.headers).status_code == 404  # not B's

    def test_an_applicant_giving_a_staff_phone_shows_in_the_grade_run(
        self, client: TestClient, channel: Channel
    ) -> None:
        body = make_body(31)
        client.post("/v1/sps/SP-A/staff-phones", json={"phone": body["applicant"]["phone"],
                    "role": "seller"}, headers=channel.admin)  # fmt: skip
        assert submit(client, channel.a, body).status_code == 201
        assert submit(client, channel.b, make_body(32)).status_code == 201
        month = client.get("/v1/sp-grades/sps", headers=channel.admin)
        assert month.status_code == 200
        now = START.astimezone(CHINA_TZ).strftime("%Y-%m")  # the fixed test clock
        run = client.post("/v1/sp-grades", json={"month": now}, headers=channel.admin)
        assert run.status_code == 200, run.text
        figures = {p["sp_code"]: p["figures"] for p in run.json()}
        assert figures["SP-A"]["staff_linked"] == 1
        assert figures["SP-A"]["applications"] == 1
        assert figures["SP-B"]["staff_linked"] == 0


class TestDashboard:
    def test_list_history_report_roles_and_unknown_sp(
        self, client: TestClient, channel: Channel
    ) -> None:
        client.post("/v1/sp-grades", json={"month": "2026-10"}, headers=channel.admin)
        client.post("/v1/sp-grades", json={"month": "2026-11"}, headers=channel.admin)
        listed = client.get("/v1/sp-grades/sps", headers=channel.analyst)
        assert listed.status_code == 200
        rows = {r["sp_code"]: r for r in listed.json()}
        assert rows["SP-A"]["latest_month"] == "2026-11"
        assert "cross_sp_share" in rows["SP-A"]["collusion"]
        history = client.get("/v1/sp-grades/sps/SP-A/history", headers=channel.admin).json()
        assert [m["month"] for m in history["months"]] == ["2026-10", "2026-11"]
        report = client.get("/v1/sp-grades/sps/SP-A/report.html", headers=channel.admin)
        assert report.status_code == 200
        assert report.headers["content-type"].startswith("text/html")
        assert report.text.count("<svg") >= 3
        assert "<script" not in report.text
        assert "服务商报告" in report.text
        for url in ("/v1/sp-grades/sps", "/v1/sp-grades/sps/SP-A/history",
                    "/v1/sp-grades/sps/SP-A/report.html"):  # fmt: skip
            assert client.get(url, headers=channel.a.headers).status_code == 403
        assert (
            client.get("/v1/sp-grades/sps/NOPE/history", headers=channel.admin).status_code == 404
        )
        long = "X" * 40
        assert (
            client.get(f"/v1/sp-grades/sps/{long}/history", headers=channel.admin).status_code
            == 422
        )
