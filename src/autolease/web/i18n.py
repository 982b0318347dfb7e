"""Message catalogues (Babel/gettext) for the pages: zh-CN first, English by toggle.

The `.po` files are read at start-up and compiled in memory (no `.mo` files are shipped).
`web/locale/` holds the shared catalogue; a surface package with its own
`locale/<lang>/LC_MESSAGES/messages.po` has it merged over the shared one.
`scripts/i18n.py` extracts the strings and updates the `.po` files.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from importlib import resources

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LANGS = ("zh_CN", "en")
DEFAULT_LANG = "zh_CN"
LANG_COOKIE = "lang"
HTML_LANG = {"zh_CN": "zh-CN", "en": "en"}
CATALOGUE_DIR = "LC_MESSAGES"  # gettext's folder name: locale/<lang>/LC_MESSAGES/messages.po


def N_(message: str) -> str:
    """Mark a message for extraction; the page translates it when rendering (`_(message)`)."""
    return message


def load_catalogue(package: str, lang: str) -> Translations | None:
    """The compiled catalogue of a package for a language, or None when it has none."""
    po = resources.files(package).joinpath("locale", lang, CATALOGUE_DIR, "messages.po")
    if not po.is_file():
        return None
    catalog = read_po(io.BytesIO(po.read_bytes()), locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


class Catalogues:
    """One `Translations` per language: the shared catalogue with each surface's merged in."""

    def __init__(self, by_lang: dict[str, Translations]) -> None:
        self.by_lang = by_lang

    @classmethod
    def load(cls, packages: Iterable[str]) -> Catalogues:
        names = ["autolease.web", *packages]
        by_lang = {}
        for lang in LANGS:
            merged = Translations()
            for name in names:
                found = load_catalogue(name, lang)
                if found is not None:
                    merged.merge(found)
            by_lang[lang] = merged
        return cls(by_lang)

    def get(self, lang: str) -> Translations:
        return self.by_lang.get(lang) or self.by_lang[DEFAULT_LANG]


def normalise(value: str | None) -> str | None:
    """A supported language for a cookie value or a language tag (`en-GB` → `en`), or None."""
    if not value:
        return None
    tag = value.strip().replace("-", "_").lower()
    if tag.startswith("zh"):
        return "zh_CN"
    if tag == "en" or tag.startswith("en_"):
        return "en"
    return None


def from_accept_language(header: str | None) -> str | None:
    """The first supported language of an Accept-Language header, by its q weights."""
    if not header:
        return None
    weighted = []
    for position, part in enumerate(header.split(",")[:20]):
        tag, _, params = part.partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        weighted.append((-q, position, tag))
    for _q, _position, tag in sorted(weighted):
        lang = normalise(tag)
        if lang is not None and _q < 0:
            return lang
    return None


def negotiate(cookie: str | None, accept_language: str | None, default: str = DEFAULT_LANG) -> str:
    """The page language: the `lang` cookie, then Accept-Language, then the default."""
    return normalise(cookie) or from_accept_language(accept_language) or default
