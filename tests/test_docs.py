"""Every link and file reference in the docs and in code comments resolves (no database).

* Markdown links ``[text](path)`` and backticked repository paths in the user-facing docs.
* ``docs/….md`` and top-level ``*.md`` names anywhere in the docs, code and data files.
* ``docs/domain.md §N.N``: the section exists on that page.
* No issue numbers in user-facing text, no path outside the repository, and no bare
  ``domain.md`` (the page is ``docs/domain.md``).
* README's figures block (written by ``scripts/readme_figures.py``) is well-formed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOP_DOCS = ("README.md", "ARCHITECTURE.md", "CONTRIBUTING.md", "BENCHMARKS.md", "CHANGELOG.md")
CODE_DIRS = ("src", "tests", "benchmarks", "scripts")
CODE_SUFFIXES = {".py", ".md", ".yaml", ".yml", ".json", ".toml", ".js", ".sh", ""}
SKIPPED_DIRS = {"__pycache__", ".mypy_cache", ".ruff_cache"}
THIS_FILE = Path(__file__).resolve()

MD_LINK = re.compile(r"(?<!!)\[[^\]\n]*\]\(([^)\s]+)\)")
BACKTICKED = re.compile(r"`([^`\s]+)`")
DOCS_PAGE = re.compile(r"(?<![\w/.-])(docs/[\w./-]+?\.md)\b")
TOP_LEVEL_MD = re.compile(r"(?<![\w/.-])([A-Z][A-Z_]+\.md)\b")
SECTION_REF = re.compile(
    r"docs/domain\.md((?:[\s#,;]*(?:and\s+)?§\d+(?:\.\d+)?(?:[-–]§?\d+(?:\.\d+)?)?)+)"
)
BARE_DOMAIN = re.compile(r"(?<![\w/])domain\.md")
ISSUE_WORD = re.compile(r"\bissues?\s*#?\d+", re.IGNORECASE)
ISSUE_HASH = re.compile(r"(?<![\w&/#])#\d+\b")
OUTSIDE = "../" + "shared"
RUNTIME_DIRS = ("var/", "artifacts/", "data/")  # created at run time, never committed
PATH_EXTENSIONS = (".py", ".md", ".yaml", ".yml", ".json", ".toml", ".js", ".sh", ".ini", ".cfg")
FIGURES_START, FIGURES_END = "<!-- figures:start -->", "<!-- figures:end -->"


def user_docs() -> list[Path]:
    return [ROOT / name for name in TOP_DOCS] + sorted((ROOT / "docs").glob("*.md"))


def code_files() -> Iterator[Path]:
    for top in CODE_DIRS:
        for path in sorted((ROOT / top).rglob("*")):
            wanted = path.is_file() and path.suffix in CODE_SUFFIXES
            generated = any(part.endswith(".egg-info") for part in path.parts)
            if (
                wanted
                and not generated
                and path.resolve() != THIS_FILE
                and not SKIPPED_DIRS & set(path.parts)
            ):
                yield path


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def looks_like_repo_path(text: str) -> bool:
    """A backticked token that names a file or folder of the repository."""
    if any(c in text for c in "*<>{}…$=:@|()") or text.startswith(("-", "/", ".", "~")):
        return False
    if text.startswith(RUNTIME_DIRS) or ("/" not in text.rstrip("/") and not text.endswith(".md")):
        return False
    return text.endswith("/") or text.endswith(PATH_EXTENSIONS)


def resolves(target: str, doc: Path) -> bool:
    """``target`` exists relative to the doc, the root, ``src/``, the package or the doc's domain.

    A domain page (``docs/fraud.md``) may name files relative to its package
    (``src/autolease/fraud/``, or ``src/autolease/identity/biometrics/`` for biometrics).
    """
    package = ROOT / "src" / "autolease"
    domains = [package / doc.stem, *package.glob(f"*/{doc.stem}")]
    candidates = (doc.parent, ROOT, ROOT / "src", package, *domains)
    return any((where / target).exists() for where in candidates)


def domain_sections() -> set[str]:
    headings = re.findall(r"^#{2,3} (\d+(?:\.\d+)?) ", read(ROOT / "docs" / "domain.md"), re.M)
    return set(headings)


@pytest.mark.parametrize("doc", user_docs(), ids=rel)
def test_markdown_links_resolve(doc: Path) -> None:
    missing = []
    for target in MD_LINK.findall(read(doc)):
        if target.startswith(("http://", "https://", "mailto:", "#")):
            continue
        if not (doc.parent / target.split("#", 1)[0]).exists():
            missing.append(target)
    assert missing == [], f"{rel(doc)} links to missing files: {missing}"


@pytest.mark.parametrize("doc", user_docs(), ids=rel)
def test_backticked_paths_resolve(doc: Path) -> None:
    missing = [
        token
        for token in BACKTICKED.findall(read(doc))
        if looks_like_repo_path(token) and not resolves(token, doc)
    ]
    assert missing == [], f"{rel(doc)} names files that do not exist: {missing}"


@pytest.mark.parametrize("doc", user_docs(), ids=rel)
def test_no_issue_numbers_in_user_docs(doc: Path) -> None:
    text = read(doc)
    found = ISSUE_WORD.findall(text) + ISSUE_HASH.findall(text)
    assert found == [], f"{rel(doc)} cites issue numbers users cannot see: {found}"


def test_page_references_in_docs_and_code_resolve() -> None:
    missing = []
    for path in [*user_docs(), *code_files()]:
        text = read(path)
        for page in DOCS_PAGE.findall(text):
            if not (ROOT / page).exists():
                missing.append(f"{rel(path)}: {page}")
        for page in TOP_LEVEL_MD.findall(text):
            if not (ROOT / page).exists() and not (path.parent / page).exists():
                missing.append(f"{rel(path)}: {page}")
    assert missing == []


def test_domain_sections_cited_exist() -> None:
    sections = domain_sections()
    assert {"1", "3.1", "6.12", "7.3"} <= sections
    missing = []
    for path in [*user_docs(), *code_files()]:
        for chain in SECTION_REF.findall(read(path)):
            for number in re.findall(r"\d+(?:\.\d+)?", chain):
                if number not in sections:
                    missing.append(f"{rel(path)}: §{number}")
    assert missing == []


def test_no_bare_domain_page_and_no_outside_paths_or_issue_words() -> None:
    found = []
    for path in [*user_docs(), *code_files()]:
        text = read(path)
        found += [f"{rel(path)}: bare domain.md" for _ in BARE_DOMAIN.finditer(text)]
        found += [f"{rel(path)}: {OUTSIDE}" for _ in range(text.count(OUTSIDE))]
        found += [f"{rel(path)}: {hit}" for hit in ISSUE_WORD.findall(text)]
    assert found == []


def test_readme_figures_block_is_well_formed() -> None:
    text = read(ROOT / "README.md")
    assert text.count(FIGURES_START) == 1
    assert text.count(FIGURES_END) == 1
    assert text.index(FIGURES_START) < text.index(FIGURES_END)
    block = text.split(FIGURES_START, 1)[1].split(FIGURES_END, 1)[0]
    shares = {
        outcome: float(share)
        for outcome, share in re.findall(r"\b(approved|referred|declined) ([\d.]+) %", block)
    }
    assert set(shares) == {"approved", "referred", "declined"}
    assert abs(sum(shares.values()) - 100.0) <= 0.2
    assert re.search(r"\b\d{4}-\d{2}-\d{2}\b", block), "the block gives the date it was measured"
    assert "scripts/readme_figures.py" in block
