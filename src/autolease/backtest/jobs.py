"""Run a backtest: load the book, score it, decide it on pandas or Dask, summarise.

Executors only decide *where* `autolease.backtest.runner.decide_partition` runs:

* ``pandas``: chunk by chunk, in this process (``workers=1``) or on a local pool of
  ``workers`` processes (`concurrent.futures`, spawned while the book loads, see
  `early_pool`; only the columns the decisions read are sent; results gathered in book
  order);
* ``dask``: ``map_partitions`` over the book on a ``distributed`` cluster — a
  ``LocalCluster`` of ``workers`` processes, or the scheduler at ``scheduler``, its workers
  warming up while the book loads (`early_client`); only the columns the decisions read are
  sent — or, with ``scheduler="synchronous"``, Dask's single-threaded scheduler (tests).
"""

from __future__ import annotations

import contextlib
import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

import pandas as pd  # type: ignore[import-untyped]
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from autolease.backtest.book import SCORE_COLUMNS, count_applications, left_join, load_book
from autolease.backtest.exceptions import BacktestInvalid
from autolease.backtest.metrics import DEFAULT_LGD, BacktestSummary, summarize
from autolease.backtest.runner import (
    PolicyPair,
    chunks,
    decide_in_process,
    decide_partition,
    decision_columns,
    partition_columns,
)
from autolease.backtest.stages import BookStages
from autolease.backtest.standin import STANDIN_REF, standin_scores
from autolease.decision.jdm import PolicyDocument
from autolease.exceptions import FieldError
from autolease.kit.extras import require

Executor = Literal["pandas", "dask"]
Progress = Callable[[int], None]


class RecordScorer(Protocol):
    """Scores a book with the models of record (`autolease.backtest.models.RecordModels`)."""

    def scores(self, data: Path) -> pd.DataFrame: ...

    def note(self) -> str: ...


@dataclass(frozen=True)
class BacktestOptions:
    data: Path
    policy: PolicyDocument
    against: PolicyDocument
    executor: Executor = "pandas"
    workers: int = 2
    scheduler: str | None = None
    partitions: int | None = None
    limit: int | None = None
    lgd: float = DEFAULT_LGD
    standin_models: bool = True
    record_models: RecordScorer | None = None
    """Score with the champions of the store (``--models store``), not the book's scores."""
    use_book_valuation: bool = True
    ltv_basis: Literal["p10", "p50"] = "p50"  # live's default (vehicle.ltv_basis)
    chunk_rows: int = 20_000
    processes: bool = True
    worker_setup: Callable[[], None] | None = None
    """Run once in every Dask worker before deciding (benchmarks' what-ifs)."""


@dataclass(frozen=True)
class BacktestResult:
    summary: BacktestSummary
    decisions: pd.DataFrame
    timings: dict[str, float] = field(default_factory=dict)


def prepare_book(options: BacktestOptions) -> tuple[pd.DataFrame, list[str]]:
    """The book with scores: from ``scores.parquet`` when present, else stand-ins (noted)."""
    book = load_book(options.data, limit=options.limit)
    notes = []
    has_scores = all(c in book.columns for c in ("credit_pd", "fraud_score"))
    if options.record_models is not None:
        scores = options.record_models.scores(options.data)
        unscored = book.drop(columns=[c for c in SCORE_COLUMNS if c in book.columns])
        book = left_join(unscored, scores, "application_id")
        notes.append(options.record_models.note())
    elif not has_scores and options.standin_models:
        with threadpool_limits(limits=1):  # BLAS threads thrash on a shared 2-core box
            scores = standin_scores(book)
        unscored = book.drop(columns=[c for c in SCORE_COLUMNS if c in book.columns])
        book = left_join(unscored, scores, "application_id")
        notes.append(
            f"credit_pd/credit_grade/fraud_score come from in-sample stand-in models "
            f"({STANDIN_REF}), not models of record"
        )
    elif not has_scores:
        notes.append("no model scores: the policies see credit and fraud scores as missing")
    if options.use_book_valuation:
        notes.append("the vehicle stage values cars with the book's vendor valuation")
    notes.append(f"LTV on the valuation's {options.ltv_basis.upper()}")
    if "latent_default_flag" in book.columns:
        notes.append("counterfactual bad rates use the synthetic book's latent outcomes")
    return book, notes


def run_backtest(
    options: BacktestOptions,
    *,
    timer: Callable[[], float],
    on_progress: Progress | None = None,
    on_total: Callable[[int], None] | None = None,
) -> BacktestResult:
    """Decide every application of the book under both policies and summarise.

    Parameters
    ----------
    options : BacktestOptions
    timer : callable
        Seconds (``time.perf_counter``), for the phase timings in the result.
    on_progress : callable, optional
        Called with the number of applications just decided.
    on_total : callable, optional
        Called once with the number of applications to decide.
    """
    started = timer()
    stages = BookStages(options.data, options.use_book_valuation, options.ltv_basis)
    with early_pool(options, stages) as pool, early_client(options, stages) as client:
        book, notes = prepare_book(options)
        loaded = timer()
        if on_total is not None:
            on_total(len(book))
        pair = PolicyPair(options.policy, options.against, stages)
        decisions = decide(book, pair, options, on_progress, pool, client)
        decided = timer()
    refs = {"policy": options.policy.ref, "against": options.against.ref}
    summary = summarize(decisions, book, refs=refs, lgd=options.lgd, notes=tuple(notes))
    timings = {
        "load_and_score_s": round(loaded - started, 3),
        "decide_s": round(decided - loaded, 3),
        "summarise_s": round(timer() - decided, 3),
    }
    return BacktestResult(summary, decisions, timings)


def decide(
    book: pd.DataFrame,
    pair: PolicyPair,
    options: BacktestOptions,
    on_progress: Progress | None,
    pool: ProcessPoolExecutor | None = None,
    client: Any | None = None,
) -> pd.DataFrame:
    """Decide ``book`` with the executor of ``options`` (on ``pool`` or ``client`` if given)."""
    if options.executor == "pandas" and options.workers > 1 and len(book) > options.chunk_rows:
        return decide_in_processes(book, pair, options, on_progress, pool)
    if options.executor == "pandas":
        return decide_in_process(book, pair, chunk_rows=options.chunk_rows, on_progress=on_progress)
    if options.executor == "dask":
        return decide_with_dask(book, pair, options, on_progress, client)
    raise BacktestInvalid(
        f"unknown executor {options.executor!r}",
        errors=[FieldError("executor", "choice", "pandas or dask", "执行器应为pandas或dask")],
    )


def decide_in_processes(
    book: pd.DataFrame,
    pair: PolicyPair,
    options: BacktestOptions,
    on_progress: Progress | None,
    pool: ProcessPoolExecutor | None = None,
) -> pd.DataFrame:
    """The pandas executor on ``workers`` local processes: the same chunks, in book order.

    ``pool`` is one already started by `early_pool` (left open); without it a pool is
    started here and shut down at the end.
    """
    with contextlib.ExitStack() as stack:
        if pool is None:
            pool = stack.enter_context(_new_pool(options))
        needed = book[partition_columns(book)]  # less to pickle to the workers
        futures = [
            pool.submit(decide_partition, p, pair) for p in chunks(needed, options.chunk_rows)
        ]
        parts = []
        for future in futures:
            parts.append(future.result())
            if on_progress is not None:
                on_progress(len(parts[-1]))
    return pd.concat(parts, ignore_index=True)


@contextlib.contextmanager
def early_pool(
    options: BacktestOptions, stages: BookStages
) -> Iterator[ProcessPoolExecutor | None]:
    """The worker pool of the pandas executor, started before the book is loaded.

    Starting a worker (imports) and building its vehicle-history index take seconds of CPU
    that would otherwise wait for the load; meanwhile every worker warms up (`_warm_up`).
    None when the book will be decided in this process (one worker, or one chunk).
    """
    rows = count_applications(options.data)
    if options.limit is not None:
        rows = min(rows, options.limit)
    if options.executor != "pandas" or options.workers <= 1 or rows <= options.chunk_rows:
        yield None
        return
    with _new_pool(options) as pool:
        for _ in range(options.workers):
            pool.submit(_warm_up, stages)
        yield pool


def _new_pool(options: BacktestOptions) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=options.workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_setup_worker,
        initargs=(options.worker_setup,),
    )


def _warm_up(stages: BookStages) -> None:
    """Build this worker's history index now (it is cached per process)."""
    with contextlib.suppress(Exception):  # the same error is raised when a chunk is decided
        stages.history()


def _setup_worker(setup: Callable[[], None] | None) -> None:
    if setup is not None:
        setup()


def decide_with_dask(
    book: pd.DataFrame,
    pair: PolicyPair,
    options: BacktestOptions,
    on_progress: Progress | None,
    client: Any | None = None,
) -> pd.DataFrame:
    """``map_partitions`` of `decide_partition` over the book, on the chosen scheduler.

    ``client`` is one already started by `early_client` (left open); without it a client
    (and a local cluster, unless ``options.scheduler`` names one) is started here.
    """
    needed = book[partition_columns(book)]  # less to send to the workers
    partitions = options.partitions or max(2 * max(options.workers, 1), len(book) // 50_000, 1)
    parts = _split(needed, min(partitions, max(len(book), 1)))
    if options.scheduler == "synchronous":
        require("dask", "dask")
        import dask.dataframe as dd

        frame = dd.from_pandas(needed, npartitions=len(parts))  # type: ignore[no-untyped-call]
        decided = frame.map_partitions(decide_partition, pair, meta=_meta())
        result: pd.DataFrame = decided.compute(scheduler="synchronous")
        if on_progress is not None:
            on_progress(len(book))
        return result.reset_index(drop=True)
    with contextlib.ExitStack() as stack:
        if client is None:
            client = stack.enter_context(_dask_client(options))
        return _on_cluster(parts, pair, client, on_progress)


@contextlib.contextmanager
def early_client(options: BacktestOptions, stages: BookStages) -> Iterator[Any | None]:
    """The Dask executor's client, its workers started and warming up before the book loads.

    As `early_pool` does for the pandas executor: every worker builds its history index
    (`_warm_up`, one task pinned to each worker) while this process loads and scores the
    book. None for the pandas executor and the synchronous scheduler.
    """
    if options.executor != "dask" or options.scheduler == "synchronous":
        yield None
        return
    with _dask_client(options) as client:
        workers = list(client.scheduler_info()["workers"])
        warming = [  # held until the end: a released future's task may be cancelled
            client.submit(_warm_up, stages, workers=[worker], pure=False) for worker in workers
        ]
        yield client
        warming.clear()


@contextlib.contextmanager
def _dask_client(options: BacktestOptions) -> Iterator[Any]:
    """A ``distributed`` client: on a new ``LocalCluster`` or on ``options.scheduler``."""
    require("dask", "dask", "distributed")
    from distributed import Client, LocalCluster

    cluster = None
    if options.scheduler is None:
        cluster = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=options.workers,
            threads_per_worker=1,
            processes=options.processes,
            dashboard_address=":0",
        )
    client = Client(cluster if cluster is not None else options.scheduler)  # type: ignore[no-untyped-call]
    try:
        if options.worker_setup is not None:
            client.run(options.worker_setup)
        yield client
    finally:
        client.close()  # type: ignore[no-untyped-call]
        if cluster is not None:
            cluster.close()


def _split(book: pd.DataFrame, count: int) -> list[pd.DataFrame]:
    size = -(-len(book) // count)
    return [book.iloc[start : start + size] for start in range(0, len(book), size)] or [book]


def _meta() -> pd.DataFrame:
    return pd.DataFrame({k: pd.Series(dtype=v) for k, v in decision_columns().items()})


def _on_cluster(
    parts: list[pd.DataFrame], pair: PolicyPair, client: Any, on_progress: Progress | None
) -> pd.DataFrame:
    """Scatter the partitions to the workers (not into the graph), map, gather in order."""
    import dask.dataframe as dd
    from distributed import as_completed

    scattered = client.scatter(parts)
    frame = dd.from_delayed(scattered, meta=parts[0].iloc[:0], verify_meta=False)
    decided = frame.map_partitions(decide_partition, pair, meta=_meta())
    futures = client.compute(decided.to_delayed())
    index = {future.key: i for i, future in enumerate(futures)}
    done: list[pd.DataFrame | None] = [None] * len(futures)
    for future in as_completed(futures):  # type: ignore[no-untyped-call]
        part = future.result()
        done[index[future.key]] = part
        if on_progress is not None:
            on_progress(len(part))
    return pd.concat([p for p in done if p is not None], ignore_index=True)
