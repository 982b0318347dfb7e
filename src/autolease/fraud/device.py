"""Device fingerprints: signals, a server-side identity that tolerates small changes, risk flags.

The collector (``static/collector.js``) sends browser signals: canvas, WebGL and audio hashes,
GPU, fonts, screen, time zone, languages, touch support, CPU and memory, user agent and
automation markers. `normalise` validates them; `components` reduces them to the values
compared; `similarity` is the weighted share of equal components (present on both sides).

Identity is fuzzy: a browser update changes the user agent, a new font or driver one hash.
`bands` gives three blocking keys, each over different components, so any single change
keeps two of them; the store is searched by band and `best_match` takes the most similar
candidate at or above the threshold (0.75 by default), else a new device is created.

Risk flags (`device_flags`): emulator (SDK flag or a software GPU renderer), automation
(``navigator.webdriver``, headless markers, automation globals), time zone or languages
inconsistent with a Chinese IP region, IP province different from the residence.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from autolease.fraud.regions import CHINESE_PROVINCES, province_key

CN_TIMEZONES = frozenset(
    {"Asia/Shanghai", "Asia/Urumqi", "Asia/Chongqing", "Asia/Harbin", "Asia/Kashgar", "PRC"}
)
CN_OFFSET_MINUTES = -480  # JavaScript's getTimezoneOffset() in UTC+8
WEIGHTS: Mapping[str, float] = {
    "canvas": 3.0,
    "webgl": 3.0,
    "audio": 2.0,
    "fonts": 2.0,
    "gpu": 2.0,
    "screen": 1.0,
    "platform": 1.0,
    "cpu": 1.0,
    "memory": 1.0,
    "timezone": 1.0,
    "languages": 1.0,
    "touch": 1.0,
    "os": 1.0,
    "browser": 0.5,
}
BANDS: tuple[tuple[str, ...], ...] = (
    ("canvas", "webgl"),
    ("audio", "fonts", "screen"),
    ("gpu", "platform", "cpu", "memory", "os"),
)
MIN_COMPARED_WEIGHT = 6.0
SOFTWARE_GPU = re.compile(
    r"swiftshader|llvmpipe|softpipe|mesa offscreen|virtualbox|vmware|android emulator|"
    r"sdk_gphone|goldfish|ranchu",
    re.IGNORECASE,
)
EMULATOR_UA = re.compile(r"sdk_gphone|android sdk built for|generic_x86|emulator", re.IGNORECASE)
HEADLESS_UA = re.compile(r"headlesschrome|phantomjs|slimerjs|electron|puppeteer", re.IGNORECASE)
TEXT_LIMIT = 256
NAME_LIMIT = 64
NUMBER_LIMIT = 1e6


class SignalsInvalid(ValueError):
    """A signal has the wrong type or size; ``field`` names it."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class Signals:
    """Validated collector signals (any may be missing)."""

    values: Mapping[str, str | int | float | bool]

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        return value if isinstance(value, str) and value else None

    def flag(self, name: str) -> bool | None:
        value = self.values.get(name)
        return value if isinstance(value, bool) else None

    def number(self, name: str) -> float | None:
        value = self.values.get(name)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        return float(value)


TEXT_FIELDS = (
    "canvas", "webgl", "webgl_vendor", "webgl_renderer", "audio", "fonts", "user_agent",
    "platform", "screen", "timezone", "languages", "lang", "automation", "collector",
)  # fmt: skip
NUMBER_FIELDS = ("pixel_ratio", "tz_offset", "touch_points", "cpu", "memory", "plugins")
FLAG_FIELDS = ("webdriver", "headless", "emulator", "rooted", "cookies")


def normalise(raw: Mapping[str, Any]) -> Signals:
    """Validate raw signals: known names only, right types, bounded text.

    Parameters
    ----------
    raw : mapping
        Signals as posted (JSON object).

    Returns
    -------
    Signals

    Raises
    ------
    SignalsInvalid
        Naming the signal and the reason (never echoing its value).

    Examples
    --------
    >>> normalise({"timezone": "Asia/Shanghai", "webdriver": False}).flag("webdriver")
    False
    """
    known = set(TEXT_FIELDS) | set(NUMBER_FIELDS) | set(FLAG_FIELDS)
    values: dict[str, str | int | float | bool] = {}
    for name, value in raw.items():
        if name not in known:
            raise SignalsInvalid(f"signals.{name}", "unknown signal")
        if value is None:
            continue
        values[name] = _checked(name, value)
    return Signals(values)


def _checked(name: str, value: Any) -> str | int | float | bool:
    if name in FLAG_FIELDS:
        if not isinstance(value, bool):
            raise SignalsInvalid(f"signals.{name}", "must be true or false")
        return value
    if name in NUMBER_FIELDS:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise SignalsInvalid(f"signals.{name}", "must be a number")
        if not -NUMBER_LIMIT <= value <= NUMBER_LIMIT:
            raise SignalsInvalid(f"signals.{name}", "out of range")
        return value
    if not isinstance(value, str):
        raise SignalsInvalid(f"signals.{name}", "must be text")
    if len(value) > TEXT_LIMIT:
        raise SignalsInvalid(f"signals.{name}", f"longer than {TEXT_LIMIT} characters")
    return value.strip()


def out_of_bounds(value: Any) -> str | None:
    """Why a signal value, whatever its name, is out of the collector's bounds (else None).

    The bounds of `normalise` for signals it does not know (an application may carry them).

    >>> out_of_bounds(float("nan")), out_of_bounds("x" * 300), out_of_bounds(True)
    ('out_of_range', 'too_long', None)
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return None if -NUMBER_LIMIT <= value <= NUMBER_LIMIT else "out_of_range"
    if isinstance(value, str):
        return None if len(value) <= TEXT_LIMIT else "too_long"
    return None  # the type itself is checked by the schema


# ----------------------------------------------------------------------------- identity


def _ua_parts(user_agent: str | None) -> tuple[str | None, str | None]:
    """(OS family, browser family + major version) from a user agent."""
    if not user_agent:
        return None, None
    ua = user_agent
    os_name = next(
        (name for token, name in (("Windows", "windows"), ("Android", "android"),
                                  ("iPhone", "ios"), ("iPad", "ios"), ("Mac OS", "macos"),
                                  ("Linux", "linux")) if token in ua),
        "other",
    )  # fmt: skip
    match = re.search(r"(Edg|MicroMessenger|Firefox|Chrome|Version)/(\d+)", ua)
    browser = f"{match.group(1).lower()}/{match.group(2)}" if match else "other"
    return os_name, browser


def components(signals: Signals) -> dict[str, str]:
    """The values compared between two fingerprints (missing ones left out).

    >>> sorted(components(normalise({"canvas": "c1", "cpu": 8, "user_agent":
    ...     "Mozilla/5.0 (Windows NT 10.0) Chrome/120.0"})).items())
    [('browser', 'chrome/120'), ('canvas', 'c1'), ('cpu', '8'), ('os', 'windows')]
    """
    s = signals
    os_name, browser = _ua_parts(s.text("user_agent"))
    gpu = "|".join(filter(None, (s.text("webgl_vendor"), s.text("webgl_renderer")))) or None
    touch = s.number("touch_points")
    cpu, memory = s.number("cpu"), s.number("memory")
    languages = s.text("languages") or s.text("lang")
    out = {
        "canvas": s.text("canvas"),
        "webgl": s.text("webgl"),
        "audio": s.text("audio"),
        "fonts": s.text("fonts"),
        "gpu": gpu,
        "screen": s.text("screen"),
        "platform": s.text("platform"),
        "cpu": None if cpu is None else f"{cpu:g}",
        "memory": None if memory is None else f"{memory:g}",
        "timezone": s.text("timezone"),
        "languages": languages.lower() if languages else None,
        "touch": None if touch is None else str(int(touch > 0)),
        "os": os_name,
        "browser": browser,
    }
    return {k: v for k, v in out.items() if v is not None}


def similarity(a: Mapping[str, str], b: Mapping[str, str]) -> float:
    """Weighted share of equal components among those both have (0 if too few compared).

    >>> a = {"canvas": "x", "webgl": "y", "audio": "z", "fonts": "f", "browser": "chrome/119"}
    >>> similarity(a, {**a, "browser": "chrome/120"})
    0.95
    """
    shared = [c for c in WEIGHTS if c in a and c in b]
    total = sum(WEIGHTS[c] for c in shared)
    if total < MIN_COMPARED_WEIGHT:
        return 0.0
    equal = sum(WEIGHTS[c] for c in shared if a[c] == b[c])
    return round(equal / total, 4)


def bands(parts: Mapping[str, str]) -> tuple[str | None, ...]:
    """Blocking keys (sha256 prefixes); ``None`` for a band missing a component."""
    out: list[str | None] = []
    for index, names in enumerate(BANDS):
        if not all(n in parts for n in names):
            out.append(None)
            continue
        text = f"{index}|" + "|".join(parts[n] for n in names)
        out.append(hashlib.sha256(text.encode()).hexdigest()[:32])
    return tuple(out)


@dataclass(frozen=True)
class Candidate:
    device_id: str
    parts: Mapping[str, str]


@dataclass(frozen=True)
class Match:
    device_id: str
    similarity: float


def best_match(
    parts: Mapping[str, str], candidates: Iterable[Candidate], threshold: float = 0.75
) -> Match | None:
    """The most similar candidate at or above `threshold` (ties: smaller device id).

    >>> a = {"canvas": "x", "webgl": "y", "audio": "z", "fonts": "f"}
    >>> best_match(a, [Candidate("dev_1", {**a, "fonts": "g"}), Candidate("dev_2", a)])
    Match(device_id='dev_2', similarity=1.0)
    """
    best: Match | None = None
    for candidate in candidates:
        score = similarity(parts, candidate.parts)
        if score < threshold:
            continue
        if best is None or (score, best.device_id) > (best.similarity, candidate.device_id):
            best = Match(candidate.device_id, score)
    return best


# ----------------------------------------------------------------------------- risk


def timezone_is_chinese(timezone: str | None, offset_minutes: float | None = None) -> bool | None:
    """Whether a browser's time zone is China's (by name, else by UTC offset)."""
    if timezone:
        return timezone in CN_TIMEZONES
    if offset_minutes is not None:
        return int(offset_minutes) == CN_OFFSET_MINUTES
    return None


def languages_include_chinese(languages: str | None) -> bool | None:
    """Whether any of a comma-separated language list is Chinese (``zh``, ``zh-CN`` …)."""
    if not languages:
        return None
    return any(part.strip().lower().startswith("zh") for part in languages.split(","))


def is_emulator(signals: Signals) -> bool:
    renderer = " ".join(filter(None, (signals.text("webgl_renderer"), signals.text("platform"))))
    ua = signals.text("user_agent") or ""
    return bool(signals.flag("emulator") or SOFTWARE_GPU.search(renderer) or EMULATOR_UA.search(ua))


def is_automated(signals: Signals) -> bool:
    ua = signals.text("user_agent") or ""
    return bool(
        signals.flag("webdriver")
        or signals.flag("headless")
        or signals.text("automation")
        or HEADLESS_UA.search(ua)
    )


@dataclass(frozen=True)
class DeviceFlags:
    emulator: bool
    automation: bool
    rooted: bool | None
    tz_mismatch: bool | None
    lang_mismatch: bool | None
    ip_province_mismatch: bool | None
    foreign_ip: bool | None

    def as_features(self) -> dict[str, bool | None]:
        return {
            "device_emulator": self.emulator or self.automation,
            "device_automation": self.automation,
            "device_rooted": self.rooted,
            "device_tz_mismatch": self.tz_mismatch,
            "device_lang_mismatch": self.lang_mismatch,
            "device_ip_province_mismatch": self.ip_province_mismatch,
            "device_foreign_ip": self.foreign_ip,
        }


def device_flags(
    signals: Signals, *, ip_province: str | None, residence_province: str | None
) -> DeviceFlags:
    """Risk flags of one sighting.

    Parameters
    ----------
    signals : Signals
    ip_province : str or None
        Region of the IP (a Chinese province name, ``"海外"`` / any non-Chinese name for
        abroad, ``None`` when unknown).
    residence_province : str or None
        The applicant's declared province.

    Returns
    -------
    DeviceFlags

    Examples
    --------
    >>> f = device_flags(normalise({"timezone": "UTC", "lang": "en-US"}),
    ...                  ip_province="广东省", residence_province="广东省")
    >>> f.tz_mismatch, f.lang_mismatch, f.ip_province_mismatch
    (True, True, False)
    """
    ip_key = province_key(ip_province)
    chinese_ip = None if ip_key is None else ip_key in CHINESE_PROVINCES
    tz_ok = timezone_is_chinese(signals.text("timezone"), signals.number("tz_offset"))
    zh = languages_include_chinese(signals.text("languages") or signals.text("lang"))
    residence = province_key(residence_province)
    return DeviceFlags(
        emulator=is_emulator(signals),
        automation=is_automated(signals),
        rooted=signals.flag("rooted"),
        tz_mismatch=None if tz_ok is None or chinese_ip is False else not tz_ok,
        lang_mismatch=None if zh is None or chinese_ip is False else not zh,
        ip_province_mismatch=None if ip_key is None or residence is None else ip_key != residence,
        foreign_ip=None if chinese_ip is None else not chinese_ip,
    )


def flags_summary(flags: DeviceFlags) -> Sequence[str]:
    """Names of the raised flags, for a trace note."""
    return tuple(name for name, value in flags.as_features().items() if value)
