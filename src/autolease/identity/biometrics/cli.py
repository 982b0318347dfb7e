"""`autolease identity …`: file-to-file biometric checks that print JSON.

Exit codes: 0 the check ran (the JSON carries the decision), 2 bad input (a missing,
unreadable, empty or wrong-format file), 3 the biometrics extra is not installed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from autolease.exceptions import InputInvalid
from autolease.identity.biometrics.challenge import Challenge
from autolease.identity.biometrics.exceptions import BiometricsUnavailable
from autolease.identity.biometrics.settings import BiometricsSettings

identity_app = typer.Typer(
    help="Identity checks: face and voice biometrics (needs the optional biometrics extra).",
    no_args_is_help=True,
)

EXIT_BAD_INPUT = 2
EXIT_UNAVAILABLE = 3


def _settings() -> BiometricsSettings:
    from autolease.config import get_settings
    from autolease.identity.biometrics.settings import biometrics_settings

    return biometrics_settings(get_settings())


def _read(path: Path, label: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        message = f"{label}: no such file: {path}"
    except IsADirectoryError:
        message = f"{label}: is a directory, not a file: {path}"
    except PermissionError:
        message = f"{label}: permission denied: {path}"
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(EXIT_BAD_INPUT)


def _emit(payload: dict[str, Any]) -> None:
    typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))


def _fail(exc: Exception) -> typer.Exit:
    if isinstance(exc, BiometricsUnavailable):
        typer.echo(f"error: {exc.detail}", err=True)
        return typer.Exit(EXIT_UNAVAILABLE)
    assert isinstance(exc, InputInvalid)
    for err in exc.errors or []:
        typer.echo(f"error: {err.field}: {err.message_en} ({err.rule})", err=True)
    if not exc.errors:
        typer.echo(f"error: {exc.detail}", err=True)
    return typer.Exit(EXIT_BAD_INPUT)


def _line(payload: dict[str, Any]) -> None:
    typer.echo(json.dumps(payload, ensure_ascii=False))


def _list_text(path: Path, label: str) -> str:
    return _read(path, label).decode("utf-8-sig", errors="replace")


def _row_error(exc: Exception) -> str:
    if isinstance(exc, InputInvalid) and exc.errors:
        return "; ".join(f"{e.field}: {e.message_en} ({e.rule})" for e in exc.errors)
    return str(getattr(exc, "detail", exc))


def _run_batch(rows: list[tuple[dict[str, Any], Callable[[], dict[str, Any]]]]) -> None:
    """One JSON line per comparison (a bad file fails its line only), then a summary line."""
    errors = 0
    for label, check in rows:
        try:
            _line({**label, **check()})
        except (InputInvalid, OSError) as exc:
            errors += 1
            _line({**label, "error": _row_error(exc)})
        except BiometricsUnavailable as exc:
            raise _fail(exc) from None
    _line({"event": "done", "comparisons": len(rows), "errors": errors})


def _file_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise OSError(f"cannot read {path}: {exc.strerror or exc}") from None


@identity_app.command("face-verify")
def face_verify(
    image_a: Annotated[Path | None, typer.Argument(help="First image (e.g. a selfie).")] = None,
    image_b: Annotated[
        Path | None, typer.Argument(help="Second image (e.g. the ID-card photo).")
    ] = None,
    pairs: Annotated[
        Path | None,
        typer.Option("--pairs", help="Batch: a list of image_a,image_b lines (JSON lines out)."),
    ] = None,
    threshold: Annotated[
        float | None, typer.Option(help="Match when the dlib distance is at most this.")
    ] = None,
) -> None:
    """Compare the faces in two images (or every pair of `--pairs`); print score and decision."""
    settings = _settings()
    if threshold is not None:
        settings = settings.model_copy(update={"face_distance_threshold": threshold})
    from autolease.identity.biometrics import service

    engines = service.InstalledEngines(settings)
    if pairs is not None:
        if image_a is not None or image_b is not None:
            _usage("give IMAGE_A IMAGE_B or --pairs FILE, not both")
        _face_batch(engines, settings, pairs)
        return
    if image_a is None or image_b is None:
        _usage("give IMAGE_A IMAGE_B, or --pairs FILE")
    try:
        checked = service.verify_faces(
            engines, settings, probe=_read(image_a, "IMAGE_A"), reference=_read(image_b, "IMAGE_B")
        )
    except (InputInvalid, BiometricsUnavailable) as exc:
        raise _fail(exc) from None
    _emit(checked.as_dict())


def _usage(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(EXIT_BAD_INPUT)


def _face_batch(engines: Any, settings: BiometricsSettings, pairs: Path) -> None:
    from autolease.identity.biometrics import service
    from autolease.identity.biometrics.batch import read_pairs

    try:
        listed = read_pairs(_list_text(pairs, "--pairs"), pairs.parent)
    except InputInvalid as exc:
        raise _fail(exc) from None

    def check(a: Path, b: Path) -> Callable[[], dict[str, Any]]:
        return lambda: service.verify_faces(
            engines, settings, probe=_file_bytes(a), reference=_file_bytes(b)
        ).as_dict()

    _run_batch([({"image_a": str(a), "image_b": str(b)}, check(a, b)) for a, b in listed])


@identity_app.command("voice-verify")
def voice_verify(
    enrol: Annotated[
        list[Path] | None, typer.Option("--enrol", help="Enrolment recordings (one or more).")
    ] = None,
    probe: Annotated[Path | None, typer.Option("--probe", help="The recording to verify.")] = None,
    more: Annotated[
        list[Path] | None, typer.Argument(help="Further enrolment recordings.", show_default=False)
    ] = None,
    trials: Annotated[
        Path | None,
        typer.Option("--trials", help="Batch: a list of enrol,probe lines (enrol: a;b;c)."),
    ] = None,
    threshold: Annotated[
        float | None, typer.Option(help="Match when the cosine similarity is at least this.")
    ] = None,
) -> None:
    """Enrol a speaker from files and verify a probe: `--enrol A B C --probe P` (or `--trials`)."""
    settings = _settings()
    from autolease.identity.biometrics import service

    engines = service.InstalledEngines(settings)
    if trials is not None:
        if enrol or probe is not None or more:
            _usage("give --enrol/--probe or --trials FILE, not both")
        _voice_batch(engines, settings, trials, threshold)
        return
    if not enrol or probe is None:
        _usage("give --enrol FILE… --probe FILE, or --trials FILE")
    files = [*enrol, *(more or [])]
    try:
        checked = service.verify_voice_files(
            engines,
            settings,
            enrol=[_read(path, f"--enrol {path.name}") for path in files],
            probe=_read(probe, "--probe"),
            threshold=threshold,
        )
    except (InputInvalid, BiometricsUnavailable) as exc:
        raise _fail(exc) from None
    _emit(checked.as_dict())


def _voice_batch(
    engines: Any, settings: BiometricsSettings, trials: Path, threshold: float | None
) -> None:
    from autolease.identity.biometrics import service
    from autolease.identity.biometrics.batch import read_trials

    try:
        listed = read_trials(_list_text(trials, "--trials"), trials.parent)
    except InputInvalid as exc:
        raise _fail(exc) from None

    def check(enrol: list[Path], probe: Path) -> Callable[[], dict[str, Any]]:
        return lambda: service.verify_voice_files(
            engines,
            settings,
            enrol=[_file_bytes(p) for p in enrol],
            probe=_file_bytes(probe),
            threshold=threshold,
        ).as_dict()

    _run_batch([({"enrol": [str(p) for p in e], "probe": str(p)}, check(e, p)) for e, p in listed])


@identity_app.command("liveness")
def liveness(
    frames: Annotated[list[Path], typer.Argument(help="Frames in time order.")],
    challenge: Annotated[Challenge, typer.Option(help="What the person was asked to do.")] = (
        Challenge.BLINK
    ),
) -> None:
    """Judge a blink or head-turn challenge from a sequence of frames."""
    settings = _settings()
    from autolease.identity.biometrics import service

    try:
        result = service.check_liveness(
            service.InstalledEngines(settings),
            settings,
            frames=[_read(path, f"frame {path.name}") for path in frames],
            challenge=challenge,
        )
    except (InputInvalid, BiometricsUnavailable) as exc:
        raise _fail(exc) from None
    _emit(result.as_dict())
