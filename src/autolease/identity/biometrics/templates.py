"""Embedding <-> text, for storing templates encrypted (pure).

An embedding is packed as little-endian float32 and base64-encoded; the caller encrypts the
text with the field cipher. Dimensions are checked on the way back.

>>> decode_embedding(encode_embedding([0.5, -1.0]), dim=2).tolist()
[0.5, -1.0]
"""

from __future__ import annotations

import base64
import binascii

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["FACE_DIM", "VOICE_DIM", "decode_embedding", "encode_embedding"]

FACE_DIM = 128
VOICE_DIM = 256


def encode_embedding(values: ArrayLike) -> str:
    """Pack a vector as base64 text of little-endian float32.

    Examples
    --------
    >>> encode_embedding([1.0])
    'AACAPw=='
    """
    vector = np.asarray(values, dtype="<f4").reshape(-1)
    if vector.size == 0 or not np.all(np.isfinite(vector)):
        raise ValueError("an embedding must be a non-empty vector of finite numbers")
    return base64.b64encode(vector.tobytes()).decode("ascii")


def decode_embedding(text: str, *, dim: int) -> NDArray[np.float64]:
    """Unpack :func:`encode_embedding` text, checking the dimension.

    Raises
    ------
    ValueError
        When the text is not base64 of ``dim`` float32 values.
    """
    try:
        raw = base64.b64decode(text, validate=True)
    except binascii.Error:
        raise ValueError("stored embedding is not valid base64") from None
    if len(raw) != dim * 4:
        raise ValueError(f"stored embedding has {len(raw) // 4} values, expected {dim}")
    return np.frombuffer(raw, dtype="<f4").astype(np.float64)
