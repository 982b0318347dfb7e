"""Vectorised string building with Arrow compute kernels (no Python loop per row)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from autolease.synth.checkdigits import U8


def ascii_matrix_to_arrow(matrix: U8) -> Any:
    """Fixed-width ASCII rows as an Arrow ``string`` array, without copying per row.

    Parameters
    ----------
    matrix : ndarray of uint8, shape (n, width)

    Returns
    -------
    pyarrow.StringArray
    """
    data = np.ascontiguousarray(matrix, dtype=np.uint8)
    n, width = data.shape
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int32)
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data.tobytes()))


def take(vocabulary: Sequence[str], index: npt.NDArray[Any]) -> Any:
    """Strings of ``vocabulary`` at ``index``.

    Parameters
    ----------
    vocabulary : sequence of str
    index : ndarray of int

    Returns
    -------
    pyarrow.StringArray
    """
    return pa.array(list(vocabulary), type=pa.string()).take(pa.array(index))


def join(*parts: Any) -> Any:
    """Concatenate Arrow string arrays and Python strings element-wise.

    Parameters
    ----------
    *parts : pyarrow.StringArray or str

    Returns
    -------
    pyarrow.StringArray
    """
    return pc.binary_join_element_wise(*parts, "")


def numbers(values: npt.NDArray[Any]) -> Any:
    """Decimal text of integers.

    Parameters
    ----------
    values : ndarray of int

    Returns
    -------
    pyarrow.StringArray
    """
    return pc.cast(pa.array(values.astype(np.int64)), pa.string())


def where(mask: npt.NDArray[np.bool_], values: Any, other: Any = None) -> Any:
    """``values`` where ``mask`` else ``other`` (null by default).

    Parameters
    ----------
    mask : ndarray of bool
    values : pyarrow.Array
    other : pyarrow.Array or scalar or None

    Returns
    -------
    pyarrow.Array
    """
    fallback = pa.scalar(None, type=values.type) if other is None else other
    return pc.if_else(pa.array(mask), values, fallback)


def nullable(values: npt.NDArray[Any], valid: npt.NDArray[np.bool_], kind: Any = None) -> Any:
    """Arrow array of ``values`` with nulls where ``valid`` is false.

    Parameters
    ----------
    values : ndarray
    valid : ndarray of bool
    kind : pyarrow.DataType, optional

    Returns
    -------
    pyarrow.Array
    """
    return pa.array(values, mask=~valid, type=kind)
