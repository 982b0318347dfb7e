"""Write a policy version as editable files under a new version (file I/O only).

``<out>/<key>.json`` is the JDM graph as stored, indented for people (the GoRules JDM editor
opens and exports it; the content hash is of the canonical JSON, so indentation is free), and
``<out>/<key>.cases.toml`` its cases with ``[policy] version`` set to the new version. `<out>`
is then a policies directory (``--dir``) for `policy test`, `policy diff` and
`policy propose`.

>>> bump("2026.11.1"), bump("v3"), bump("draft")
('2026.11.2', 'v4', 'draft.1')
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

from autolease.decision.exceptions import PolicyInvalid
from autolease.decision.files import CASES_SUFFIX, GRAPH_SUFFIX
from autolease.exceptions import FieldError

if TYPE_CHECKING:
    from autolease.decision.service.policies import ResolvedPolicy

_TRAILING_NUMBER = re.compile(r"(\d+)$")
_VERSION_LINE = re.compile(r'^version\s*=\s*"[^"]*"', re.MULTILINE)


def bump(version: str) -> str:
    """The next version: the trailing number plus one, else ``.1`` appended."""
    match = _TRAILING_NUMBER.search(version)
    if match is None:
        return f"{version}.1"
    return version[: match.start()] + str(int(match.group(1)) + 1)


def write_version(resolved: ResolvedPolicy, out: Path, version: str) -> dict[str, str]:
    """Write the graph and its cases (version replaced) under `out`; never overwrites."""
    if resolved.cases_text is None:
        raise PolicyInvalid(
            f"{resolved.document.ref} has no stored cases to start from",
            errors=[FieldError("cases", "missing", "no cases stored", "未存储用例")],
        )
    *folders, name = resolved.document.key.split("/")
    target = out.joinpath(*folders)
    graph, cases = target / f"{name}{GRAPH_SUFFIX}", target / f"{name}{CASES_SUFFIX}"
    for path in (graph, cases):
        if path.exists():
            raise PolicyInvalid(
                f"{path} exists; choose another --out",
                errors=[FieldError("out", "exists", "file exists", "文件已存在")],
            )
    cases_text, replaced = _VERSION_LINE.subn(f'version = "{version}"', resolved.cases_text, 1)
    if not replaced:
        raise PolicyInvalid(f"the cases of {resolved.document.ref} state no version")
    target.mkdir(parents=True, exist_ok=True)
    text = json.dumps(resolved.document.graph(), indent=2, ensure_ascii=False) + "\n"
    graph.write_text(text, encoding="utf-8")
    cases.write_text(cases_text, encoding="utf-8")
    return {"ref": f"{resolved.document.key}@{version}", "graph": str(graph), "cases": str(cases)}
