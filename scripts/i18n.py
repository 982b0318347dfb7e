"""Extract the pages' messages and update the zh_CN and en catalogues.

    python scripts/i18n.py               # every package with pages
    python scripts/i18n.py --fill-en     # also copy each new English id to its en translation
    python scripts/i18n.py --check       # exit 1 when a message lacks a translation

Then translate the empty `msgstr ""` entries in `<package>/locale/zh_CN/LC_MESSAGES/messages.po`.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys

from autolease.web import messages

PACKAGES = (
    "autolease.web",
    "autolease.console",
    "autolease.console_analyst",
    "autolease.console_admin",
    "autolease.h5",
    "autolease.review.pages",
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fill-en", action="store_true", help="English id as en translation")
    parser.add_argument("--check", action="store_true", help="only report missing translations")
    args = parser.parse_args()
    status = 0
    for package in PACKAGES:
        if importlib.util.find_spec(package) is None:
            continue
        if args.check:
            missing = messages.untranslated(package)
        else:
            missing = messages.update(package, fill_source=args.fill_en)
        for lang, ids in missing.items():
            for message_id in ids:
                status = 1
                print(f"{package} {lang}: no translation for {message_id!r}")
    return status


if __name__ == "__main__":
    sys.exit(main())
