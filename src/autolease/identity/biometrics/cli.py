"""`autolease identity …`: file-to-file biometric checks that print JSON.

Exit codes: 0 the check ran (the JSON carries the decision), 2 bad input (a missing,
unreadable, empty or wrong-format file), 3 the biometrics extra is not installed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

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


@identity_app.command("face-verify")
def face_verify(
    image_a: Annotated[Path, typer.Argument(help="First image (e.g. a selfie).")],
    image_b: Annotated[Path, typer.Argument(help="Second image (e.g. the ID-card photo).")],
    threshold: Annotated[
        float | None, typer.Option(help="Match when the dlib distance is at most this.")
    ] = None,
) -> None:
    """Compare the faces in two images; print score, threshold, decision and reasons."""
    settings = _settings()
    if threshold is not None:
        settings = settings.model_copy(update={"face_distance_threshold": threshold})
    from autolease.identity.biometrics import service

    try:
        checked = service.verify_faces(
            service.InstalledEngines(settings),
            settings,
            probe=_read(image_a, "IMAGE_A"),
            reference=_read(image_b, "IMAGE_B"),
        )
    except (InputInvalid, BiometricsUnavailable) as exc:
        raise _fail(exc) from None
    _emit(checked.as_dict())


@identity_app.command("voice-verify")
def voice_verify(
    enrol: Annotated[
        list[Path], typer.Option("--enrol", help="Enrolment recordings (one or more).")
    ],
    probe: Annotated[Path, typer.Option("--probe", help="The recording to verify.")],
    more: Annotated[
        list[Path] | None, typer.Argument(help="Further enrolment recordings.", show_default=False)
    ] = None,
    threshold: Annotated[
        float | None, typer.Option(help="Match when the cosine similarity is at least this.")
    ] = None,
) -> None:
    """Enrol a speaker from files and verify a probe: `--enrol A B C --probe P`."""
    settings = _settings()
    files = [*enrol, *(more or [])]
    from autolease.identity.biometrics import service

    try:
        checked = service.verify_voice_files(
            service.InstalledEngines(settings),
            settings,
            enrol=[_read(path, f"--enrol {path.name}") for path in files],
            probe=_read(probe, "--probe"),
            threshold=threshold,
        )
    except (InputInvalid, BiometricsUnavailable) as exc:
        raise _fail(exc) from None
    _emit(checked.as_dict())


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
