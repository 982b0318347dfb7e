"""The H5 application page in Chromium, as on a phone: an SP user logs in and fills every step
(validated as typed), the VIN is decoded, a live quote shows, both consents are given, the
fake camera and microphone give the selfie, the ID photo, the liveness frames and the voice
sample, the device collector runs, and the submission reaches a decision. The first submit's
response is cut off after the server has processed it; the retry gives exactly one
application. Nothing personal is left in the browser's storage afterwards."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from autolease import store
from autolease.audit.service import Actor
from autolease.auth import service as auth_service
from autolease.identity.providers.service import build_identity_prefetcher
from autolease.origination.models import Application, ApplicationConsent
from autolease.runtime import Runtime, build_runtime
from autolease.seeding import seed_demo
from tests.browser.conftest import CHROMIUM_ARGS, PASSWORDS, serve
from tests.browser.media import write_png, write_wav, write_y4m
from tests.conftest import make_settings
from tests.h5.conftest import SANDBOX, example, with_checks

DECLINE = example("sandbox/decline-court-list.json")
SUBMIT_MS = 300_000


@pytest.fixture(scope="module")
def h5_runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    """A store seeded like the demo, the full pipeline, and the sandbox identity providers."""
    path = tmp_path_factory.mktemp("h5browser") / "autolease.db"
    settings = make_settings(f"sqlite:///{path}")
    settings.documents.root = path.parent / "documents"
    runtime = build_runtime(settings)
    store.upgrade(runtime.engine)
    with runtime.sessions() as session, session.begin():
        seed_demo(session, actor=Actor(runtime.audit_key, "test", runtime.clock.now()))
    checks = build_identity_prefetcher(SANDBOX, runtime.clock)
    assert checks is not None
    runtime.prefetchers = (*runtime.prefetchers, checks)
    runtime.stages = with_checks(runtime.stages)
    yield runtime
    runtime.close()


@pytest.fixture(scope="module")
def h5_server(chromium_path: str, h5_runtime: Runtime) -> Iterator[str]:
    yield from serve(h5_runtime)


@pytest.fixture(scope="module")
def media_browser(
    chromium_path: str, playwright: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Any]:
    """Chromium with a fake camera and microphone fed from media written here."""
    media = tmp_path_factory.mktemp("media")
    video, audio = write_y4m(media / "face.y4m"), write_wav(media / "voice.wav")
    args = [
        *CHROMIUM_ARGS,
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
        f"--use-file-for-fake-audio-capture={audio}",
        "--autoplay-policy=no-user-gesture-required",
    ]
    browser = playwright.chromium.launch(executable_path=chromium_path, args=args)
    yield browser
    browser.close()


@pytest.fixture
def phone(media_browser: Any, playwright: Any, h5_server: str) -> Iterator[tuple[Any, list[str]]]:
    """A page in a phone-sized context (Pixel 5), and every host it asked for."""
    device = dict(playwright.devices["Pixel 5"])
    device.pop("default_browser_type", None)
    context = media_browser.new_context(
        **device, base_url=h5_server, locale="zh-CN", permissions=["camera", "microphone"]
    )
    hosts: list[str] = []
    page = context.new_page()
    page.on("request", lambda request: hosts.append(urlsplit(request.url).hostname or ""))
    page.set_default_timeout(20_000)
    yield page, hosts
    context.close()


def count(runtime: Runtime, model: type) -> int:
    with runtime.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def log_in(page: Any) -> None:
    page.goto("/h5/login")
    page.fill("input[name=username]", "sp001")
    page.fill("input[name=password]", PASSWORDS["sp_user"])
    page.click("button[type=submit]")
    page.wait_for_url("**/h5/")


def field(page: Any, name: str) -> Any:
    return page.locator(f'section.step:not([hidden]) [name="{name}"]:visible')


def error_of(page: Any, name: str) -> Any:
    return page.locator(f'section.step:not([hidden]) .field-error[data-for="{name}"]:visible')


def fill_applicant(page: Any) -> None:
    a = DECLINE["applicant"]
    field(page, "applicant.name").fill(a["name"])
    field(page, "applicant.id_number").fill(a["id_number"][:-1] + "0")  # a wrong check digit
    field(page, "applicant.phone").fill(a["phone"])
    error = error_of(page, "applicant.id_number")
    error.wait_for()  # validated as typed, with the server's message
    assert re.search("[\u4e00-\u9fff]", error.inner_text())  # Chinese first
    field(page, "applicant.id_number").fill(a["id_number"])
    page.wait_for_function(
        "() => !document.querySelector("
        "'.field-error[data-for=\"applicant.id_number\"]').textContent"
    )
    field(page, "applicant.bank_card").fill(a["bank_card"])
    for part in ("province", "city", "line"):
        field(page, f"applicant.address.{part}").fill(a["address"][part])
    field(page, "applicant.employer").fill(a["employer"])
    field(page, "applicant.monthly_income").fill(a["monthly_income"])


def fill_contacts(page: Any) -> None:
    contact = DECLINE["applicant"]["emergency_contacts"][0]
    field(page, "applicant.emergency_contacts.0.name").fill(contact["name"])
    field(page, "applicant.emergency_contacts.0.phone").fill(contact["phone"])
    field(page, "applicant.emergency_contacts.0.relation").select_option(contact["relation"])


def fill_vehicle(page: Any) -> None:
    v = DECLINE["vehicle"]
    field(page, "vehicle.vin").fill(v["vin"])
    page.wait_for_function("() => document.getElementById('vin-facts').textContent.length > 0")
    assert "本田" in page.locator("#vin-facts").inner_text()
    assert field(page, "vehicle.brand").input_value() == "本田"  # suggested from the VIN
    field(page, "vehicle.first_registration_date").fill(v["first_registration_date"])
    field(page, "vehicle.model").fill(v["model"])
    field(page, "vehicle.fuel_type").select_option(v["fuel_type"])
    field(page, "vehicle.plate").fill(v["plate"])
    field(page, "vehicle.mileage_km").fill(str(v["mileage_km"]))
    field(page, "vehicle.asking_price").fill(v["asking_price"])
    field(page, "vehicle.seller.name").fill(v["seller"]["name"])


def fill_financing(page: Any) -> None:
    f = DECLINE["financing"]
    field(page, "financing.amount").fill(f["amount"])
    field(page, "financing.term_months").select_option(str(f["term_months"]))
    field(page, "financing.down_payment").fill(f["down_payment"])
    field(page, "financing.monthly_budget").fill(f["monthly_budget"])
    page.wait_for_function(
        "() => document.querySelectorAll('#quote-offers li, #quote-changes li').length > 0"
    )


def capture(page: Any) -> None:
    page.wait_for_function(
        "() => { const v = document.getElementById('camera');"
        " return v.readyState >= 2 && v.videoWidth > 0; }"
    )
    page.click("#take-selfie")
    page.click("#take-id-photo")
    page.click("#take-liveness")
    page.locator("#liveness-done").wait_for()
    page.click("#take-voice")
    page.locator("#voice-done").wait_for(timeout=20_000)
    page.locator("#selfie-done").wait_for()
    page.locator("#id-photo-done").wait_for()


def cut_off_first_response(page: Any, seen: list[int]) -> None:
    """The first submission reaches the server, which decides and commits; its response never
    reaches the page (the connection is reset). Later ones pass through."""

    def handle(route: Any) -> None:
        seen.append(1)
        if len(seen) == 1:
            route.fetch(timeout=SUBMIT_MS)  # the first decision loads the biometric models
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/h5/api/applications", handle)


def test_the_whole_page_to_a_decision_with_one_application_after_a_dropped_submit(
    phone: tuple[Any, list[str]], h5_runtime: Runtime
) -> None:
    page, hosts = phone
    before = count(h5_runtime, Application)
    log_in(page)
    page.goto("/h5/apply")
    assert page.viewport_size["width"] < 500
    fill_applicant(page)
    page.click("#next")
    page.locator("#step-contacts").wait_for()
    fill_contacts(page)
    page.click("#next")
    page.locator("#step-vehicle").wait_for()
    fill_vehicle(page)
    page.click("#next")
    page.locator("#step-financing").wait_for()
    fill_financing(page)
    page.click("#next")
    page.locator("#step-consent").wait_for()
    page.click("#next")  # no consent yet: refused
    assert page.locator('.field-error[data-for="consent.personal_information"]').inner_text()
    page.check("#consent-pi")
    page.check("#consent-bio")
    page.click("#next")
    page.locator("#step-capture").wait_for()
    capture(page)
    page.click("#next")
    page.locator("#step-submit").wait_for()
    page.wait_for_function(
        "() => document.getElementById('device-status').textContent.includes('已采集')"
    )
    seen: list[int] = []
    cut_off_first_response(page, seen)
    page.click("#submit")
    page.locator("#retry").wait_for(timeout=SUBMIT_MS)
    assert "重试" in page.locator("#submit-error").inner_text()
    assert count(h5_runtime, Application) == before + 1  # the server did decide
    page.click("#retry")
    page.locator("#outcome").wait_for(timeout=SUBMIT_MS)

    assert len(seen) == 2
    assert count(h5_runtime, Application) == before + 1  # exactly one application
    result = page.locator("#result")
    assert result.get_attribute("data-outcome") == "decline"
    assert page.locator('#result-reasons li[data-code="COURT_DISHONEST"]').count() == 1
    assert "申请人可以怎么做" in page.locator("#result-reasons").inner_text()
    review = page.locator("#result-review")
    assert review.is_visible()
    app_id = page.locator("#result-id").inner_text().split()[-1]
    assert app_id in review.inner_text()
    assert "第二十四条" in review.inner_text()

    with h5_runtime.sessions() as session:
        consent = session.scalars(
            select(ApplicationConsent).where(ApplicationConsent.application_id == app_id)
        ).one()
        app = session.get(Application, app_id)
        assert app is not None
        device = app.device
    assert (consent.personal_information, consent.biometrics) == (True, True)
    assert device.get("fingerprint_id")

    stored = page.evaluate(
        "async () => [localStorage.length, sessionStorage.length,"
        " (await indexedDB.databases()).length, document.cookie]"
    )
    assert stored == [0, 0, 0, ""]  # the session cookie is HttpOnly; nothing else is kept
    leftovers = page.evaluate(
        "() => Array.from(document.querySelectorAll("
        "'#draft input:not([type=radio]):not([type=checkbox])'))"
        ".filter(e => e.value).map(e => e.name)"
    )
    assert leftovers == []
    assert set(hosts) == {"127.0.0.1"}


def test_the_list_shows_the_new_application_on_a_desktop(
    media_browser: Any, h5_server: str, h5_runtime: Runtime
) -> None:
    context = media_browser.new_context(
        base_url=h5_server, locale="zh-CN", viewport={"width": 1280, "height": 800}
    )
    page = context.new_page()
    try:
        log_in(page)
        rows = page.locator("#applications li")
        with h5_runtime.sessions() as session:
            total = session.scalar(select(func.count()).select_from(Application)) or 0
        assert rows.count() == min(int(total), 50)
        page.select_option("#status-filter", "declined")
        page.wait_for_url("**/h5/?status=declined")
        for status in page.locator("#applications li").evaluate_all(
            "rows => rows.map(r => r.dataset.status)"
        ):
            assert status == "declined"
    finally:
        context.close()


NO_CAMERA = """
navigator.mediaDevices.getUserMedia = () =>
  Promise.reject(new DOMException("refused in this test", "NotAllowedError"));
"""


def test_an_applicants_link_on_a_desktop_without_a_camera(
    media_browser: Any,
    h5_server: str,
    h5_runtime: Runtime,
    tmp_path: Path,
) -> None:
    """The SP's system issues a link; the applicant opens it on a desktop whose camera and
    microphone are refused, chooses a photo and a recording instead, and is referred."""
    import httpx

    from tests.factories import make_sp

    with h5_runtime.sessions() as session, session.begin():
        tenant = make_sp(session, h5_runtime, "SP-LINK")
    issued = httpx.post(
        f"{h5_server}/v1/applicant-links", json={"ttl_minutes": 30}, headers=tenant.headers
    )
    assert issued.status_code == 201, issued.text
    body = example("sandbox/refer-multi-lending.json")
    context = media_browser.new_context(
        base_url=h5_server, locale="zh-CN", viewport={"width": 1280, "height": 800}
    )
    context.add_init_script(NO_CAMERA)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(issued.json()["url"])
        assert page.locator("#nav-applications").count() == 0  # no staff session, no menu
        fill_all(page, body)
        page.check("#consent-pi")
        page.check("#consent-bio")
        page.click("#next")
        page.locator("#step-capture").wait_for()
        page.wait_for_function("() => document.getElementById('camera-status').textContent")
        assert page.locator("#take-selfie").is_hidden()
        page.set_input_files("#selfie-file", str(write_png(tmp_path / "selfie.png")))
        page.set_input_files("#voice-file", str(write_wav(tmp_path / "voice.wav", seconds=1)))
        page.locator("#selfie-done").wait_for()
        page.locator("#voice-done").wait_for()
        page.click("#next")
        page.locator("#step-submit").wait_for()
        page.click("#submit")
        page.locator("#outcome").wait_for(timeout=SUBMIT_MS)
        assert page.locator("#result").get_attribute("data-outcome") == "refer"
        assert page.locator('#result-reasons li[data-code="BUREAU_MULTI_LENDING"]').count() == 1
        app_id = page.locator("#result-id").inner_text().split()[-1]
        page.goto(issued.json()["url"])
        assert page.locator("#link-spent").is_visible()  # one applicant, one application
    finally:
        context.close()
    mine = httpx.get(f"{h5_server}/v1/applications/{app_id}", headers=tenant.headers)
    assert mine.status_code == 200


def fill_all(page: Any, body: dict[str, Any]) -> None:
    """Steps one to four from a request body, then on to the consent step."""
    a, v, f = body["applicant"], body["vehicle"], body["financing"]
    for name in ("name", "id_number", "phone", "bank_card", "employer", "monthly_income"):
        field(page, f"applicant.{name}").fill(a[name])
    for part in ("province", "city", "line"):
        field(page, f"applicant.address.{part}").fill(a["address"][part])
    page.click("#next")
    page.locator("#step-contacts").wait_for()
    contact = a["emergency_contacts"][0]
    field(page, "applicant.emergency_contacts.0.name").fill(contact["name"])
    field(page, "applicant.emergency_contacts.0.phone").fill(contact["phone"])
    page.click("#next")
    page.locator("#step-vehicle").wait_for()
    field(page, "vehicle.vin").fill(v["vin"])
    field(page, "vehicle.first_registration_date").fill(v["first_registration_date"])
    field(page, "vehicle.brand").fill(v["brand"])
    field(page, "vehicle.model").fill(v["model"])
    field(page, "vehicle.mileage_km").fill(str(v["mileage_km"]))
    field(page, "vehicle.asking_price").fill(v["asking_price"])
    page.click("#next")
    page.locator("#step-financing").wait_for()
    field(page, "financing.amount").fill(f["amount"])
    field(page, "financing.down_payment").fill(f["down_payment"])
    page.click("#next")
    page.locator("#step-consent").wait_for()


def referred_and_asked(base: str, runtime: Runtime) -> str:
    """An application of the SP user's SP that the policy refers, and a request for income
    proof by the reviewer (through the API, as the console would)."""
    import httpx

    with runtime.sessions() as session, session.begin():
        new, _ = auth_service.issue_api_key(
            session,
            sp_code="SP-SH-001",
            label="browser",
            at=runtime.clock.now(),
            token_hex=secrets.token_hex,
        )
    sp = {"Authorization": f"Bearer {new.plaintext}", "Idempotency-Key": secrets.token_hex(8)}
    created = httpx.post(f"{base}/v1/applications", json=example(), headers=sp, timeout=300)
    assert created.status_code == 201, created.text
    app_id = str(created.json()["id"])
    token = httpx.post(
        f"{base}/v1/auth/token",
        json={"username": "reviewer", "password": PASSWORDS["reviewer"]},
    ).json()["access_token"]
    verdict = {
        "verdict": "request_information",
        "reason_code": "income_proof_needed",
        "internal_note": "收入存疑",
        "sp_message": "请补充收入证明",
        "checklist": [{"kind": "income_proof"}],
    }
    asked = httpx.post(
        f"{base}/v1/review/cases/{app_id}/verdict",
        json=verdict,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert asked.status_code == 200, asked.text
    return app_id


def test_an_information_request_is_answered_with_a_document_upload(
    phone: tuple[Any, list[str]], h5_server: str, h5_runtime: Runtime, tmp_path: Path
) -> None:
    page, hosts = phone
    app_id = referred_and_asked(h5_server, h5_runtime)
    log_in(page)
    page.select_option("#status-filter", "info_requested")
    page.click(f'li[data-id="{app_id}"] a')
    page.locator("#information-request").wait_for()
    assert "请补充收入证明" in page.locator("#information-request").inner_text()
    page.select_option("select[name=kind_0]", "income_proof")
    page.set_input_files("input[name=file_0]", str(write_png(tmp_path / "income.png")))
    page.fill("textarea[name=message]", "已上传收入证明")
    page.click("#send-answer")
    page.locator("#information-answered").wait_for()
    assert page.locator("#status").get_attribute("class").endswith("status-referred")
    assert set(hosts) == {"127.0.0.1"}
