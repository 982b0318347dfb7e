"""Optional extras: when a library one of them brings is missing, say which extra to install.

The core (`pip install .`) serves and trains the gradient-boosting models; `train` adds
optbinning and igraph, `dask` adds Dask distributed (see `pyproject.toml`).
"""

from __future__ import annotations

from importlib.util import find_spec

from autolease.exceptions import ExtraMissing


def require(extra: str, *modules: str) -> None:
    """Raise `ExtraMissing` naming `extra` unless every module in `modules` is importable."""
    missing = [name for name in modules if find_spec(name) is None]
    if missing:
        raise ExtraMissing(
            f"not installed: {', '.join(missing)}; install the '{extra}' extra"
            f" (pip install '.[{extra}]' in the source tree)"
        )
