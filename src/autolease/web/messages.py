"""Extracting the pages' messages and updating the catalogues (used by `scripts/i18n.py` and
the catalogue test; never at run time).

Each package with pages (`autolease.web`, every surface) keeps its own catalogues in
`<package>/locale/<lang>/LC_MESSAGES/messages.po`; its messages are `_("…")` / `gettext` /
`ngettext` in `templates/**.html` and `N_("…")`, `_("…")` in its Python files.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po, write_po

from autolease.web.i18n import CATALOGUE_DIR, LANGS

METHOD_MAP = [("templates/**.html", "jinja2.ext:babel_extract"), ("**.py", "python")]
OPTIONS_MAP = {"templates/**.html": {"trimmed": "true"}}
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None}


def package_dir(package: str) -> Path:
    return Path(str(resources.files(package)))


def po_path(package: str, lang: str) -> Path:
    return package_dir(package) / "locale" / lang / CATALOGUE_DIR / "messages.po"


def extract(package: str) -> Catalog:
    """Every message of a package's templates and Python files, as a template catalogue."""
    template = Catalog(project="autolease", fuzzy=False)
    found = extract_from_dir(str(package_dir(package)), METHOD_MAP, OPTIONS_MAP, keywords=KEYWORDS)
    for filename, lineno, message, comments, context in found:
        template.add(
            message, locations=[(filename, lineno)], auto_comments=comments, context=context
        )
    return template


def read(package: str, lang: str) -> Catalog:
    path = po_path(package, lang)
    if not path.is_file():
        return Catalog(locale=lang, project="autolease", fuzzy=False)
    with path.open("rb") as fh:
        return read_po(fh, locale=lang)


def update(package: str, *, fill_source: bool = False) -> dict[str, list[str]]:
    """Merge a package's messages into its catalogues; per language, the ids still without a
    translation. `fill_source` fills an empty English translation with the English id."""
    template = extract(package)
    missing: dict[str, list[str]] = {}
    for lang in LANGS:
        catalog = read(package, lang)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        for message in catalog:
            if message.id and not message.string and fill_source and lang == "en":
                message.string = message.id
        missing[lang] = [str(m.id) for m in catalog if m.id and not m.string]
        path = po_path(package, lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            write_po(
                fh, catalog, omit_header=False, sort_output=True, width=100, include_lineno=False
            )
    return missing


def untranslated(package: str) -> dict[str, list[str]]:
    """Per language, the package's messages that its catalogue lacks or leaves empty."""
    ids = [str(m.id) for m in extract(package) if m.id]
    out = {}
    for lang in LANGS:
        catalog = read(package, lang)
        out[lang] = [i for i in ids if not _translated(catalog, i)]
    return out


def _translated(catalog: Catalog, message_id: str) -> bool:
    found = catalog.get(message_id)
    return found is not None and bool(found.string)
