"""The reason-code catalogue holds every code the source and the policies can emit."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from autolease.fraud.reasons import MESSAGES
from autolease.identity.biometrics.reasons import TEXTS
from autolease.identity.providers import stage as checks
from autolease.reasons import catalogue as cat
from autolease.reasons.entries import ENTRIES, NOTHING, Entry

SRC = Path(cat.__file__).resolve().parents[1]
CODE = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")
POLICY_CODE = re.compile(r'\\"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\\"')
CJK = re.compile(r"[\u4e00-\u9fff]")
NOT_REASON_CODES = frozenset(
    {
        # upper-case constants that are not reason codes (names of tables, sizes, files)
        "DEFAULT_SEVERITIES",
        "DLIB_LFW_DISTANCE_THRESHOLD",
        "FACE_DIM",
        "VOICE_DIM",
        "FEATURE_KEY",
        "IMAGE_A",
        "IMAGE_B",
        "LANDMARK_COUNT",
        "LC_MESSAGES",  # gettext's catalogue folder (web/i18n.py)
    }
)


def codes_in_source() -> dict[str, set[str]]:
    """Every CODE_LIKE string literal in the package (but the catalogue's own) and every code
    in the packaged policies. The channel's grading and action codes are the channel team's,
    not reasons on a decision: only `channel/reasons.py` is scanned of them."""
    found: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        channel_only = path.parent.name == "channel" and path.name != "reasons.py"
        if path.parent.name == "reasons" or channel_only:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            text = node.value if isinstance(node, ast.Constant) else None
            if isinstance(text, str) and CODE.match(text):
                found.setdefault(text, set()).add(str(path.relative_to(SRC)))
    for path in (SRC / "policies" / "origination").rglob("*.json"):
        for code in POLICY_CODE.findall(path.read_text(encoding="utf-8")):
            found.setdefault(code, set()).add(str(path.relative_to(SRC)))
    return found


def test_the_scan_finds_codes_of_every_kind_of_source() -> None:
    found = codes_in_source()
    for code in ("SELFIE_MISSING", "PD_DECLINE_BAND", "VIN_CHECK_FAILED", "NO_FEASIBLE_OFFER"):
        assert code in found
    assert any(p.endswith(".json") for p in found["PD_DECLINE_BAND"])
    assert len(found) > 130


def test_every_code_in_the_source_and_the_policies_is_catalogued() -> None:
    known = cat.catalogue()
    missing = {
        code: sorted(paths)
        for code, paths in codes_in_source().items()
        if code not in known and code not in NOT_REASON_CODES
    }
    assert missing == {}, "add these codes to autolease/reasons/entries.py"


def test_generated_families_are_catalogued() -> None:
    known = cat.catalogue()
    assert {f"CREDIT_GRADE_{g}" for g in "ABCDE"} <= set(known)
    assert "CREDIT_FACTOR_HAS_CREDIT_FILE" in known
    assert "CREDIT_FACTOR_HARD_QUERIES_90D" in known
    assert "FRAUD_FACTOR_DEVICE_EMULATOR" in known


@pytest.mark.parametrize("entry", list(cat.catalogue().values()), ids=lambda e: e.code)
def test_every_entry_has_both_texts_and_an_action(entry: Entry) -> None:
    assert CODE.match(entry.code)
    assert entry.severity in cat.SEVERITIES
    assert entry.kind in cat.KINDS
    assert entry.stage in {
        "identity", "identity_checks", "vehicle", "fraud", "credit", "channel", "policy", "offers",
        "applicant",  # a review case's reason when the SP asks for a human review
    }  # fmt: skip
    assert entry.text_en.strip()
    assert entry.action.en.strip()
    assert CJK.search(entry.text_zh)
    assert CJK.search(entry.action.zh)


def test_stages_take_their_fixed_texts_from_the_catalogue() -> None:
    for table in (MESSAGES, checks._MESSAGES):
        for code, (_severity, en, zh) in table.items():
            assert (en, zh) == (ENTRIES[code].text_en, ENTRIES[code].text_zh)
    for code, (en, zh) in TEXTS.items():
        assert (en, zh) == (ENTRIES[code].text_en, ENTRIES[code].text_zh)


def test_the_texts_named_in_the_report_are_plain() -> None:
    thin = ENTRIES["BUREAU_THIN_FILE"]
    assert "no credit record" in thin.text_en
    assert "STAGE_REFER" not in cat.catalogue()
    assert "see that reason" in ENTRIES["STAGE_DECLINE"].text_en


def test_an_extension_is_served_and_a_duplicate_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cat, "_EXTRA", {})
    new = Entry("PROVIDER_TEST_TIMEOUT", "identity_checks", "refer", "a test", "测试", NOTHING)
    cat.extend([new])
    assert cat.catalogue()["PROVIDER_TEST_TIMEOUT"] == new
    assert new in cat.entries(stage="identity_checks", severity="refer")
    with pytest.raises(ValueError, match="already"):
        cat.extend([new])
    with pytest.raises(ValueError, match="SELFIE_MISSING"):
        cat.extend([Entry("SELFIE_MISSING", "identity", "info", "x", "某", NOTHING)])


def test_sp_visibility_follows_severity_with_one_exception() -> None:
    assert not cat.shown_to_sp("SELFIE_MISSING", "info")
    assert cat.shown_to_sp("VALUATION_UNAVAILABLE", "refer")
    assert cat.shown_to_sp("NO_FEASIBLE_OFFER", "info")
    assert cat.shown_to_sp("DOWN_PAYMENT_ROUNDED", "info", "offer")


def test_policy_texts_without_figures_are_the_catalogues() -> None:
    """A policy text with the policy's own figure (a threshold) may differ; any other is the
    catalogue's text, so the two never drift apart."""
    checked = 0
    for path in (SRC / "policies" / "origination").rglob("*.json"):
        graph = json.loads(path.read_text(encoding="utf-8"))
        for node in graph["nodes"]:
            for rule in (
                node.get("content", {}).get("rules", [])
                if node["type"] == "decisionTableNode"
                else []
            ):
                code, en, zh = (json.loads(rule[k]) for k in ("code", "message_en", "message_zh"))
                if not re.search(r"\d", en + zh):
                    assert (en, zh) == (ENTRIES[code].text_en, ENTRIES[code].text_zh), code
                    checked += 1
    assert checked > 40
