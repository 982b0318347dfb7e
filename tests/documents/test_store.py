"""The local store: durable writes under generated names, listing, no overwrite."""

from __future__ import annotations

from pathlib import Path

import pytest

from autolease.documents.store import LocalStore, StoredFileMissing

NAME = "doc_0192f3a1b2c3d4e5f6a7b8c9d0e1f2a3"


def test_put_get_list_delete(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    store.put(NAME, b"sealed bytes")
    assert store.get(NAME) == b"sealed bytes"
    assert store.path_of(NAME) == tmp_path / "a3" / NAME
    assert store.path_of(NAME).stat().st_mode & 0o777 == 0o600
    (listed,) = list(store.list())
    assert (listed.name, listed.size) == (NAME, len(b"sealed bytes"))
    store.delete(NAME)
    store.delete(NAME)  # gone already: no error
    assert list(store.list()) == []
    with pytest.raises(StoredFileMissing):
        store.get(NAME)


def test_a_name_is_never_overwritten(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    store.put(NAME, b"first")
    with pytest.raises(FileExistsError):
        store.put(NAME, b"second")
    assert store.get(NAME) == b"first"


@pytest.mark.parametrize("name", ["../escape", "a/b", "", ".hidden", "x" * 200, "名字"])
def test_names_cannot_leave_the_folder(tmp_path: Path, name: str) -> None:
    store = LocalStore(tmp_path / "root")
    with pytest.raises(ValueError, match="not a stored file name"):
        store.put(name, b"x")
    assert not (tmp_path / "escape").exists()


def test_a_partial_write_left_by_a_crash_is_listed(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    store.put(NAME, b"whole")
    (tmp_path / "a3" / f"{NAME}.part").write_bytes(b"half")
    assert sorted(f.name for f in store.list()) == [NAME, f"{NAME}.part"]
    store.delete(f"{NAME}.part")
    assert [f.name for f in store.list()] == [NAME]


def test_an_absent_root_lists_nothing(tmp_path: Path) -> None:
    assert list(LocalStore(tmp_path / "none").list()) == []
