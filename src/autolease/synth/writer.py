"""Parquet output: one file per table, fixed row groups, zstd, no write-time metadata.

Byte-identical for the same config: the row-group boundaries depend only on row counts, and
pyarrow writes no timestamps (``created_by`` is the library version). A writer thread
overlaps compression with generation of the next chunk; the order of writes is fixed.
"""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from autolease.synth.book import TABLES, iter_chunks, make_context, sp_tables
from autolease.synth.config import SynthConfig

GENERATOR_VERSION = "autolease.synth/1"
_DONE = object()


class _TableSink:
    """Buffers one table's chunks and writes row groups of exactly ``row_group_size`` rows."""

    def __init__(self, path: Path, row_group_size: int) -> None:
        self.path = path
        self.size = row_group_size
        self.pending: list[Any] = []
        self.pending_rows = 0
        self.rows = 0
        self.writer: Any = None

    def add(self, table: Any) -> None:
        if self.writer is None:
            self.writer = pq.ParquetWriter(
                self.path,
                table.schema,
                compression="zstd",
                compression_level=1,
                use_dictionary=True,
                write_statistics=True,
                version="2.6",
            )
        self.pending.append(table)
        self.pending_rows += table.num_rows
        self.rows += table.num_rows
        if self.pending_rows >= self.size:
            self._flush(final=False)

    def _flush(self, *, final: bool) -> None:
        merged = pa.concat_tables(self.pending).combine_chunks()
        full = (merged.num_rows // self.size) * self.size
        cut = merged.num_rows if final else full
        if cut:
            self.writer.write_table(merged.slice(0, cut), row_group_size=self.size)
        rest = merged.slice(cut)
        self.pending = [rest] if rest.num_rows else []
        self.pending_rows = rest.num_rows

    def close(self) -> None:
        if self.writer is None:
            return
        if self.pending_rows:
            self._flush(final=True)
        self.writer.close()


def _drain(
    work: queue.Queue[Any], sinks: dict[str, _TableSink], errors: list[BaseException]
) -> None:
    while True:
        item = work.get()
        if item is _DONE:
            return
        if errors:
            continue
        try:
            for name, table in item.items():
                sinks[name].add(table)
        except BaseException as exc:  # re-raised in the caller's thread
            errors.append(exc)


def write_tables(
    chunks: Iterable[dict[str, Any]], out_dir: Path, row_group_size: int
) -> dict[str, int]:
    """Write a stream of chunk tables to ``out_dir/<table>.parquet``.

    Parameters
    ----------
    chunks : iterable of dict of str to pyarrow.Table
    out_dir : Path
    row_group_size : int

    Returns
    -------
    dict of str to int
        Rows written per table.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    sinks = {name: _TableSink(out_dir / f"{name}.parquet", row_group_size) for name in TABLES}
    work: queue.Queue[Any] = queue.Queue(maxsize=1)
    errors: list[BaseException] = []
    thread = threading.Thread(target=_drain, args=(work, sinks, errors), daemon=True)
    thread.start()
    try:
        for chunk in chunks:
            if errors:
                break
            work.put(chunk)
    finally:
        work.put(_DONE)
        thread.join()
        for sink in sinks.values():
            sink.close()
    if errors:
        raise errors[0]
    return {name: sink.rows for name, sink in sinks.items()}


def write_book(
    cfg: SynthConfig,
    out_dir: Path | str,
    on_applications: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Generate the book for ``cfg`` and write it as Parquet plus ``manifest.json``.

    Parameters
    ----------
    cfg : SynthConfig
    out_dir : Path or str
    on_applications : callable, optional
        Called with the number of applications of each chunk once it is generated (a
        progress bar's advance).

    Returns
    -------
    dict
        The manifest: generator version, config, money unit and rows per table.
    """
    out = Path(out_dir)
    ctx = make_context(cfg)

    def stream() -> Iterable[dict[str, Any]]:
        yield sp_tables(ctx)
        for chunk in iter_chunks(ctx):
            yield chunk
            if on_applications is not None:
                on_applications(chunk["applications"].num_rows)

    rows = write_tables(stream(), out, cfg.row_group_size)
    manifest = {
        "generator": GENERATOR_VERSION,
        "config": cfg.to_json(),
        "money": "int64 fen (1/100 yuan) in every *_fen column",
        "observation_date": cfg.observation_date().isoformat(),
        "rows": rows,
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    (out / "manifest.json").write_text(text, encoding="utf-8")
    return manifest


def row_counts(out_dir: Path | str) -> dict[str, int]:
    """Rows per table from the Parquet footers (no data read).

    Parameters
    ----------
    out_dir : Path or str

    Returns
    -------
    dict of str to int
    """
    base = Path(out_dir)
    return {name: pq.ParquetFile(base / f"{name}.parquet").metadata.num_rows for name in TABLES}


def read_tables(out_dir: Path | str, names: Iterable[str] = TABLES) -> dict[str, Any]:
    """Read tables of a written book.

    Parameters
    ----------
    out_dir : Path or str
    names : iterable of str
        Tables to read (default all).

    Returns
    -------
    dict of str to pyarrow.Table
    """
    base = Path(out_dir)
    return {name: pq.read_table(base / f"{name}.parquet") for name in names}
