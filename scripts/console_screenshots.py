"""Screenshots of the staff console for docs/console.md, taken in Chromium over a demo store.

    PYTHONPATH=src python scripts/console_screenshots.py [--out docs/img/console]

Builds a throwaway store in a temporary folder (the demo users and SPs, a small synthetic
book with its fraud links, a credit model trained on it, a second policy version with a
pending activation, a finished backtest and ring run), serves the app on a free local port,
logs in through the login page as each role and saves one PNG per page. Chromium is
`$AUTOLEASE_CHROMIUM`, `chromium` on the PATH or /usr/bin/chromium (Playwright drives it by
its path). Chinese renders with a CJK font installed (Debian: fonts-noto-cjk); without one
the script still runs. Pages another branch adds (the reviewer's queue and case view) are
taken when the app has them.
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from autolease import store
from autolease.audit.service import Actor
from autolease.config import DatabaseSettings, SecuritySettings, Settings
from autolease.runtime import Runtime, build_runtime
from autolease.web.settings import WebSettings

PASSWORDS = {
    "admin": "demo-admin-password",
    "analyst": "demo-analyst-password",
    "reviewer": "demo-reviewer-password",
}
CHECKER = ("analyst-b", "analyst-b-password")
POLICY = "origination/approve"
AGAINST = "origination/approve-conservative"
BOOK_ROWS = 3_000


def chromium() -> str:
    import os

    for candidate in (
        os.environ.get("AUTOLEASE_CHROMIUM"),
        shutil.which("chromium"),
        "/usr/bin/chromium",
    ):
        if candidate and Path(candidate).is_file():
            return candidate
    sys.exit("no Chromium: apt-get install chromium, or set AUTOLEASE_CHROMIUM")


def settings_in(folder: Path) -> Settings:
    return Settings(
        environment="development",
        db=DatabaseSettings(url=f"sqlite:///{folder / 'console.db'}"),
        security=SecuritySettings(keyfile=folder / "keys.json"),
        artifacts_dir=folder / "artifacts",
        web=WebSettings(books_dir=folder / "books"),
    )


def build_store(runtime: Runtime, folder: Path) -> dict[str, str]:
    """The demo's users and SPs plus what the analyst's pages show; what was made, by name."""
    from autolease.auth import service as auth_service
    from autolease.auth.principal import Role
    from autolease.backtest import runs
    from autolease.credit import service as credit_service
    from autolease.credit.training import TrainOptions
    from autolease.decision.dependencies import decisions_of
    from autolease.fraud.book import book_link_rows
    from autolease.fraud.service import ringruns
    from autolease.fraud.service.seeding import seed_links
    from autolease.governance.service import models as governance
    from autolease.governance.service import policies as governance_policies
    from autolease.seeding import seed_demo
    from autolease.synth.book import generate_tables
    from autolease.synth.config import SynthConfig
    from autolease.synth.writer import write_book

    now = runtime.clock.now()
    config = SynthConfig(n_applications=BOOK_ROWS, seed=3, fraud_rate=0.15)
    book = folder / "books" / "demo-book-3k"
    write_book(config, book)
    store.upgrade(runtime.engine)
    system = Actor(runtime.audit_key, "system:screenshots", now)
    analyst = Actor(runtime.audit_key, "user:analyst", now)
    with runtime.sessions.begin() as session:
        seed_demo(session, actor=system)
        auth_service.create_user(
            session,
            username=CHECKER[0],
            display_name="复核分析师",
            role=Role.RISK_ANALYST,
            password=CHECKER[1],
            sp_code=None,
            at=now,
        )
    with runtime.engine.begin() as conn:
        seed_links(conn, book_link_rows(generate_tables(config)), runtime.cipher)
    options = TrainOptions(
        kind="gbm",
        seed=1,
        gbm={"max_rounds": 120, "inner_folds": 3, "early_stopping": 30, "learning_rate": 0.1},
    )
    model = credit_service.train_book(
        book,
        options,
        out=runtime.settings.artifacts_dir,
        name="credit_gbm",
        version=None,
        created_at=now,
    )
    decisions = decisions_of(runtime)
    with runtime.sessions.begin() as session:
        governance.register_candidate(session, runtime.settings.artifacts_dir, model.ref, analyst)
        version = _second_version(session, decisions, analyst)
        governance_policies.propose_activation(
            session,
            decisions,
            key=POLICY,
            version=version,
            effective_from=now + timedelta(days=1),
            note="收紧年龄上限",
            actor=analyst,
        )
        books = runs.available_books(runtime.settings)
        run = runs.start(
            session,
            book=book.name,
            policy=POLICY,
            against=AGAINST,
            limit=None,
            books=books,
            policies_dir=None,
            actor=analyst,
        )
        run_id = run.id
    runs.execute(runtime, run_id, books)
    with runtime.sessions.begin() as session:
        ring_run = ringruns.start(session, actor=analyst).id
    ringruns.run(runtime, ring_run)  # the rings pages show the latest finished run
    referred = refer_applications(runtime)
    return {
        "model": model.ref,
        "version": version,
        "backtest": str(run_id),
        "referred": referred[0] if referred else "",
    }


def refer_applications(runtime: Runtime, wanted: int = 8) -> list[str]:
    """Submit demo applications through the API with a deciding runtime until `wanted` are
    referred (no model is champion, so the credit stage refers), plus one sharing the first
    referred applicant's phone (a neighbour in the case's graph). The referred ids."""
    import copy
    import random
    import secrets

    from fastapi.testclient import TestClient

    from autolease.app import create_app
    from autolease.auth import service as auth_service
    from autolease.demo.samples import sample_application

    today = runtime.clock.now().date()
    deciding = build_runtime(runtime.settings)
    referred: list[str] = []
    try:
        with deciding.sessions.begin() as session:
            new, _ = auth_service.issue_api_key(
                session, sp_code="SP-SH-001", label="screenshots", at=deciding.clock.now(),
                token_hex=secrets.token_hex,
            )  # fmt: skip
        headers = {"Authorization": f"Bearer {new.plaintext}"}
        first: dict[str, Any] | None = None
        with TestClient(create_app(runtime=deciding)) as client:
            for seed in range(2, 120):
                body = sample_application(random.Random(seed), today, "clean")
                made = client.post("/v1/applications", json=body, headers=headers)
                if made.status_code == 201 and made.json()["decision"]["outcome"] == "refer":
                    referred.append(str(made.json()["id"]))
                    first = first or body
                if len(referred) >= wanted:
                    break
            if first is not None:
                twin = copy.deepcopy(sample_application(random.Random(999), today, "clean"))
                twin["applicant"]["phone"] = first["applicant"]["phone"]
                client.post("/v1/applications", json=twin, headers=headers)
    finally:
        deciding.close()
    return referred


def _second_version(session: Any, decisions: Any, actor: Actor) -> str:
    """The packaged origination policy with one more rule, registered as a new version."""
    from autolease.decision.files import load_one, policy_root
    from autolease.decision.jdm import PolicyDocument
    from autolease.decision.service import register_version

    current = load_one(policy_root(None), POLICY)
    graph = json.loads(current.document.content)
    table = next(n for n in graph["nodes"] if n.get("type") == "decisionTableNode")
    rules = table["content"]["rules"]
    age = next(r for r in rules if "applicant_age > 60" in json.dumps(r))
    rules.append(
        {
            **age,
            "_id": "screenshots-age-58",
            "condition": "applicant_age > 58"
            ' and applicant_age <= 60 and product_type == "operating_lease"',
        }
    )
    version = current.document.version + "-tight"
    cases = (current.cases_text or "").replace(
        f'version = "{current.document.version}"', f'version = "{version}"', 1
    )
    document = PolicyDocument.from_graph(POLICY, version, graph, description="收紧年龄上限")
    register_version(
        session,
        document=document,
        cases_text=cases,
        source="screenshots",
        actor=actor,
        engine=decisions.engine,
    )
    return version


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serving(runtime: Runtime) -> Iterator[str]:
    import uvicorn

    from autolease.app import create_app
    from autolease.serving import uvicorn_config

    port = _free_port()
    config = uvicorn_config(
        create_app(runtime=runtime), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            sys.exit("the app did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


class Camera:
    """Logs in as a user and saves pages as PNGs."""

    def __init__(self, browser: Any, base: str, out: Path) -> None:
        self.browser, self.base, self.out = browser, base, out
        self.saved: list[str] = []

    @contextmanager
    def as_user(self, username: str, password: str, lang: str = "zh_CN") -> Iterator[Any]:
        context = self.browser.new_context(
            base_url=self.base, viewport={"width": 1280, "height": 860}, locale="zh-CN"
        )
        page = context.new_page()
        page.goto("/console/login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url("**/console/")
        if lang != "zh_CN":
            page.goto(f"/web/lang?to={lang}&next=/console/")
        try:
            yield page
        finally:
            context.close()

    def shot(
        self,
        page: Any,
        path: str,
        name: str,
        *,
        wait: str | None = None,
        full: bool = False,
        at: str | None = None,
    ) -> bool:
        """Open `path` (after `wait` appears, scrolled to `at`) and save it as `name`.png."""
        response = page.goto(path)
        if response is None or response.status != 200:
            print(f"skipped {name}: {path} answered {response.status if response else '-'}")
            return False
        if wait:
            page.wait_for_selector(wait, timeout=30_000)
        if at:
            page.evaluate(
                "s => { document.querySelector(s).scrollIntoView(); scrollBy(0, -16); }", at
            )
        page.wait_for_timeout(400)  # charts' and graphs' first frame
        page.screenshot(path=str(self.out / f"{name}.png"), full_page=full)
        self.saved.append(name)
        return True


def take(camera: Camera, made: dict[str, str]) -> None:
    with camera.as_user("analyst", PASSWORDS["analyst"]) as page:
        camera.shot(page, "/console/", "home-analyst")
        camera.shot(page, "/console/policies", "policies")
        version = made["version"]
        camera.shot(page, f"/console/policies/view/{POLICY}?b={version}", "policy-diff", at="#diff")
        camera.shot(page, "/console/backtests", "backtests")
        camera.shot(
            page,
            f"/console/backtests/{made['backtest']}",
            "backtest-report",
            wait="#chart-by-month[data-drawn] canvas",
            full=True,
        )
        camera.shot(page, "/console/models", "models")
        camera.shot(
            page,
            f"/console/models/view/{made['model']}",
            "model-report",
            wait="#importance[data-drawn] canvas",
            full=True,
        )
        camera.shot(page, "/console/fraud-rings", "fraud-rings")
        first = page.locator("#rings a").first.get_attribute("href")
        if first:
            camera.shot(
                page, first, "fraud-ring-graph", wait="#graph[data-drawn] canvas", full=True
            )
    with camera.as_user(*CHECKER) as page:
        camera.shot(page, f"/console/policies/view/{POLICY}?b={version}", "maker-checker")
    with camera.as_user("admin", PASSWORDS["admin"]) as page:
        camera.shot(page, "/console/admin/sps", "admin-sps")
        camera.shot(page, "/console/admin/users", "admin-users")
        page.goto("/console/admin/api-keys")
        page.fill("#issue-key input[name=label]", "门店收银台")
        with page.expect_navigation():
            page.click("#issue-key button[type=submit]")
        page.screenshot(path=str(camera.out / "admin-api-key-issued.png"))
        camera.saved.append("admin-api-key-issued")
        page.goto("/console/admin/audit")
        page.click("#verify")
        page.wait_for_selector("#chain-intact")
        page.screenshot(path=str(camera.out / "admin-audit.png"))
        camera.saved.append("admin-audit")
    with camera.as_user("analyst", PASSWORDS["analyst"], lang="en") as page:
        camera.shot(
            page,
            f"/console/backtests/{made['backtest']}",
            "backtest-report-en",
            wait="#chart-approval-bad[data-drawn] canvas",
        )
    with camera.as_user("reviewer", PASSWORDS["reviewer"]) as page:  # the reviewer's pages
        if camera.shot(page, "/console/review/queue", "queue", full=True) and made["referred"]:
            camera.shot(
                page,
                f"/console/review/cases/{made['referred']}",
                "case-view",
                wait="canvas",
                full=True,
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/img/console"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    path = chromium()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="console-shots-") as tmp:
        runtime = build_runtime(settings_in(Path(tmp)), pipeline=False)
        try:
            made = build_store(runtime, Path(tmp))
            with serving(runtime) as base, sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=path, args=["--no-sandbox"])
                camera = Camera(browser, base, args.out)
                take(camera, made)
                browser.close()
        finally:
            runtime.close()
    print(f"saved {len(camera.saved)} screenshots in {args.out}: {', '.join(camera.saved)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
