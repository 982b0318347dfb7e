"""Link rows in memory, for the offline computations (pure numpy).

`LinkRows` is ``application_link`` as columns: one row per (application, kind, value), with
values factorised to integer ids. Equal ids mean equal key hashes, so phones and emergency
contact phones share ids (they share a blind-index kind, see `keys.hash_kind`). Per
application it also holds the submission time (epoch seconds), the SP and the external id.

It is built from the store (`fraud.repository.link_rows`) or from a synthetic book
(`fraud.book.book_link_rows`); velocity, the as-of graph features and ring detection all read
it, so offline and online agree on what a link is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from autolease.fraud.keys import KINDS, hash_kind

I64 = npt.NDArray[np.int64]
I8 = npt.NDArray[np.int8]
KIND_CODE = {kind: code for code, kind in enumerate(KINDS)}
DAY = 86_400


@dataclass(frozen=True)
class LinkRows:
    """Columns of link rows plus per-application columns.

    Attributes
    ----------
    app : ndarray of int64
        Application index (0 .. n_apps - 1) of each row.
    kind : ndarray of int8
        Kind code (index into `keys.KINDS`) of each row.
    key : ndarray of int64
        Value id of each row (equal ids = equal key hash).
    app_time : ndarray of int64
        Submission time of each application, epoch seconds.
    app_sp : ndarray of int64
        SP of each application.
    app_ids : sequence
        External id of each application (strings from the store, integers from a book).
    key_labels : sequence of str, optional
        A display form of each value id (hash prefix or masked value) for exports.
    """

    app: I64
    kind: I8
    key: I64
    app_time: I64
    app_sp: I64
    app_ids: Sequence[Any]
    key_labels: Sequence[str] | None = None

    @property
    def n_apps(self) -> int:
        return len(self.app_time)

    def __len__(self) -> int:
        return len(self.app)

    def kind_mask(self, *kinds: str) -> npt.NDArray[np.bool_]:
        codes = [KIND_CODE[k] for k in kinds]
        return np.isin(self.kind, np.asarray(codes, dtype=np.int8))

    def first_key_of(self, kind: str) -> I64:
        """Per application, the value id of its first row of `kind` (-1 when it has none)."""
        out = np.full(self.n_apps, -1, dtype=np.int64)
        mask = self.kind == KIND_CODE[kind]
        apps, keys = self.app[mask][::-1], self.key[mask][::-1]
        out[apps] = keys  # reversed: the first row per application wins
        return out


def factorise(kinds: Sequence[str], values: Sequence[str]) -> tuple[I64, list[str]]:
    """Integer ids for (blind-index kind, value) pairs; contact phones share phone ids.

    Parameters
    ----------
    kinds : sequence of str
        Link kind per row.
    values : sequence of str
        Key hash (or normalised plaintext) per row.

    Returns
    -------
    ids : ndarray of int64
    uniques : list of str
        ``"<hash kind>:<value>"`` per id.
    """
    joined = [f"{hash_kind(k)}:{v}" for k, v in zip(kinds, values, strict=True)]
    codes, uniques = _codes(joined)
    return codes, uniques


def _codes(values: Sequence[str]) -> tuple[I64, list[str]]:
    index: dict[str, int] = {}
    codes = np.fromiter((index.setdefault(v, len(index)) for v in values), dtype=np.int64)
    return codes, list(index)


def build_rows(
    app: Sequence[int],
    kinds: Sequence[str],
    keys: I64,
    app_time: Sequence[int],
    app_sp: Sequence[int],
    app_ids: Sequence[Any],
    key_labels: Sequence[str] | None = None,
) -> LinkRows:
    """Assemble `LinkRows` from plain columns (kinds as names)."""
    unknown = set(kinds) - set(KIND_CODE)
    if unknown:
        raise ValueError(f"unknown link kinds: {sorted(unknown)}")
    return LinkRows(
        app=np.asarray(app, dtype=np.int64),
        kind=np.asarray([KIND_CODE[k] for k in kinds], dtype=np.int8),
        key=np.asarray(keys, dtype=np.int64),
        app_time=np.asarray(app_time, dtype=np.int64),
        app_sp=np.asarray(app_sp, dtype=np.int64),
        app_ids=app_ids,
        key_labels=key_labels,
    )
