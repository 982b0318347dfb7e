"""Policy files on disk: ``<key>.json`` (JDM graph) + ``<key>.cases.toml`` (version, cases).

The files ship inside the package (``autolease/policies/``) so ``pip install .`` (not
editable) can decide, test and replay; ``decision.policies_dir`` points elsewhere (an
analysts' working copy) to test or register versions without a deploy. Reading files is the
only I/O here: no database, web or clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from autolease.decision.cases import PolicyCases, parse_cases
from autolease.decision.exceptions import PolicyInvalid, PolicyNotFound
from autolease.decision.jdm import PolicyDocument
from autolease.exceptions import FieldError

GRAPH_SUFFIX = ".json"
CASES_SUFFIX = ".cases.toml"


@dataclass(frozen=True)
class PolicyFile:
    """A policy graph with its case file, as read from a directory."""

    document: PolicyDocument
    cases: PolicyCases
    cases_text: str
    source: str


def packaged_root() -> Traversable:
    """The policies shipped inside the installed package."""
    return files("autolease").joinpath("policies")


def policy_root(directory: Path | None) -> Traversable:
    """``directory`` if given (must exist), else the packaged policies."""
    if directory is None:
        return packaged_root()
    if not directory.is_dir():
        raise PolicyInvalid(
            f"policies directory {directory} does not exist",
            errors=[FieldError("policies_dir", "exists", "directory not found", "目录不存在")],
        )
    return directory


def load_all(root: Traversable) -> tuple[PolicyFile, ...]:
    """Every policy under ``root``, sorted by key.

    Raises
    ------
    PolicyInvalid
        A graph without its case file, a malformed graph or case file.
    """
    found = sorted(_walk(root, ""), key=lambda item: item[0])
    return tuple(_load(directory, key) for key, directory in found)


def load_one(root: Traversable, key: str) -> PolicyFile:
    """The policy ``key`` under ``root``; `PolicyNotFound` when absent."""
    *parents, name = key.split("/")
    directory = root
    for part in parents:
        directory = directory.joinpath(part)
    if not directory.joinpath(name + GRAPH_SUFFIX).is_file():
        raise PolicyNotFound(f"no policy file for {key!r}")
    return _load(directory, key)


def load_path(path: Path) -> PolicyFile:
    """A graph file with its case file beside it; the key is ``<folder>/<name>``.

    That is the layout `autolease policy new-version` writes, so a version being edited is
    labelled ``key@version`` like any other.
    """
    if not path.is_file():
        raise PolicyNotFound(f"no policy file {path.name}")
    return _load(path.parent, f"{path.parent.name}/{path.name.removesuffix(GRAPH_SUFFIX)}")


def _walk(directory: Traversable, prefix: str) -> list[tuple[str, Traversable]]:
    """(key, directory holding the file) for every graph below ``directory``."""
    found: list[tuple[str, Traversable]] = []
    for child in directory.iterdir():
        if child.is_dir() and not child.name.startswith((".", "_")):
            found.extend(_walk(child, f"{prefix}{child.name}/"))
        elif child.name.endswith(GRAPH_SUFFIX) and child.is_file():
            found.append((prefix + child.name.removesuffix(GRAPH_SUFFIX), directory))
    return found


def _load(directory: Traversable, key: str) -> PolicyFile:
    name = key.rsplit("/", 1)[-1]
    cases_node = directory.joinpath(name + CASES_SUFFIX)
    source = f"{key}{CASES_SUFFIX}"
    if not cases_node.is_file():
        raise PolicyInvalid(
            f"policy {key} has no case file {source}",
            errors=[
                FieldError("cases", "missing", "every policy needs a case file", "缺少用例文件")
            ],
        )
    cases_text = cases_node.read_text(encoding="utf-8")
    cases = parse_cases(cases_text, source=source)
    graph_text = directory.joinpath(name + GRAPH_SUFFIX).read_text(encoding="utf-8")
    document = PolicyDocument.from_text(
        key, cases.version, graph_text, description=cases.description
    )
    return PolicyFile(document, cases, cases_text, f"{key}{GRAPH_SUFFIX}")
