"""Vectorised check digits and ASCII identifier matrices (numpy; no Python loop per row).

Identifiers are built as ``uint8`` matrices of ASCII codes, one row per identifier, and turned
into Arrow strings by :func:`autolease.synth.text.ascii_matrix_to_arrow`. This copy of the check
digits exists for speed alone (a million identifiers in well under a second, where a Python call
per row takes seconds); tests check it against python-stdnum (resident ID, USCC, Luhn) and the
scalar VIN check of :mod:`autolease.identity.identifiers`.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

U8 = npt.NDArray[np.uint8]
I64 = npt.NDArray[np.int64]

_RID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
_RID_CHECK = np.frombuffer(b"10X98765432", dtype=np.uint8)
USCC_CHARSET = b"0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = np.array(
    [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28], dtype=np.int64
)
VIN_CHARSET = b"0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
_VIN_WEIGHTS = np.array([8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2], dtype=np.int64)
_VIN_CHECK = np.frombuffer(b"0123456789X", dtype=np.uint8)
DIGITS = b"0123456789"


def _lookup(pairs: dict[int, int]) -> I64:
    table = np.full(256, -1, dtype=np.int64)
    for key, value in pairs.items():
        table[key] = value
    return table


_VIN_VALUE = _lookup(
    {
        **{ord(str(d)): d for d in range(10)},
        **dict(
            zip(
                b"ABCDEFGHJKLMNPRSTUVWXYZ",
                (1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9),
                strict=True,
            )
        ),
    }
)
_USCC_VALUE = _lookup({code: i for i, code in enumerate(USCC_CHARSET)})


def digits_to_ascii(values: I64, width: int) -> U8:
    """Zero-padded decimal digits of non-negative integers as an ASCII matrix.

    Parameters
    ----------
    values : ndarray of int64
        Values in ``[0, 10**width)``.
    width : int
        Number of digits.

    Returns
    -------
    ndarray of uint8, shape (n, width)
    """
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    digits = (values[:, None] // powers[None, :]) % 10
    return (digits + 48).astype(np.uint8)


def resident_id_check_chars(first17: U8) -> U8:
    """ISO 7064 MOD 11-2 check characters of resident IDs.

    Parameters
    ----------
    first17 : ndarray of uint8, shape (n, 17)
        ASCII digits.

    Returns
    -------
    ndarray of uint8, shape (n,)
        ASCII check characters (``0``-``9`` or ``X``).
    """
    total = (first17.astype(np.int64) - 48) @ _RID_WEIGHTS
    return np.asarray(_RID_CHECK[total % 11], dtype=np.uint8)


def uscc_check_chars(first17: U8) -> U8:
    """Check characters of Unified Social Credit Codes (GB 32100-2015).

    Parameters
    ----------
    first17 : ndarray of uint8, shape (n, 17)
        ASCII characters of ``USCC_CHARSET``.

    Returns
    -------
    ndarray of uint8, shape (n,)
    """
    total = _USCC_VALUE[first17] @ _USCC_WEIGHTS
    charset = np.frombuffer(USCC_CHARSET, dtype=np.uint8)
    return np.asarray(charset[(31 - total % 31) % 31], dtype=np.uint8)


def vin_check_digits(vin17: U8) -> U8:
    """Position-9 check digits of VINs (ISO 3779); position 9 of the input is ignored.

    Parameters
    ----------
    vin17 : ndarray of uint8, shape (n, 17)
        ASCII characters of ``VIN_CHARSET`` (position 9 may be anything in it).

    Returns
    -------
    ndarray of uint8, shape (n,)
    """
    total = _VIN_VALUE[vin17] @ _VIN_WEIGHTS
    return np.asarray(_VIN_CHECK[total % 11], dtype=np.uint8)


def luhn_check_digits(partial: U8) -> U8:
    """Digits that make ``partial + digit`` pass the Luhn check.

    Parameters
    ----------
    partial : ndarray of uint8, shape (n, k)
        ASCII digits of the card number without its check digit.

    Returns
    -------
    ndarray of uint8, shape (n,)
    """
    digits = partial.astype(np.int64) - 48
    width = digits.shape[1]
    # Rightmost digit of the partial number is doubled (it becomes an even position).
    doubled = (np.arange(width)[::-1] % 2) == 0
    values = np.where(doubled[None, :], digits * 2, digits)
    values = np.where(values > 9, values - 9, values)
    return np.asarray((10 - values.sum(axis=1) % 10) % 10 + 48, dtype=np.uint8)


def scramble(index: I64, modulus: int, multiplier: int, offset: int) -> I64:
    """Bijective affine scramble of ``[0, modulus)``: distinct inputs give distinct outputs.

    Parameters
    ----------
    index : ndarray of int64
        Inputs in ``[0, modulus)``.
    modulus : int
        Size of the output space.
    multiplier : int
        Coprime with ``modulus``; ``multiplier * modulus`` must fit in int64.
    offset : int
        Added before the modulo.

    Returns
    -------
    ndarray of int64
    """
    if np.gcd(multiplier, modulus) != 1 or multiplier * modulus >= 2**63:
        raise ValueError("multiplier must be coprime with modulus and not overflow int64")
    return (index * np.int64(multiplier) + np.int64(offset % modulus)) % np.int64(modulus)


def chars_from_codes(codes: I64, charset: bytes) -> U8:
    """Map integer codes to ASCII characters of ``charset``.

    Parameters
    ----------
    codes : ndarray of int64
        Indices into ``charset`` (any shape).
    charset : bytes
        The alphabet.

    Returns
    -------
    ndarray of uint8, same shape as ``codes``
    """
    return np.frombuffer(charset, dtype=np.uint8)[codes]


def base_digits(values: I64, base: int, width: int) -> I64:
    """Digits of ``values`` in ``base``, most significant first.

    Parameters
    ----------
    values : ndarray of int64
    base : int
    width : int

    Returns
    -------
    ndarray of int64, shape (n, width)
    """
    powers = base ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (values[:, None] // powers[None, :]) % base


def mix64(values: I64, salt: int) -> npt.NDArray[np.uint64]:
    """SplitMix64 hash of integers (deterministic, vectorised).

    Parameters
    ----------
    values : ndarray of int64
    salt : int
        Mixed into the input.

    Returns
    -------
    ndarray of uint64
    """
    x = values.astype(np.uint64) ^ np.uint64(salt & 0xFFFFFFFFFFFFFFFF)
    x = x + np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _coprime_multiplier(modulus: int, share: float) -> int:
    """A multiplier coprime with ``modulus`` (a power of ten) that cannot overflow int64."""
    value = int((2**63 - 1) // modulus * share)
    while value % 2 == 0 or value % 5 == 0:
        value -= 1
    return value


def shuffle_decimal(index: I64, width: int, salt: int) -> I64:
    """Bijective, random-looking map of ``[0, 10**width)``: affine maps and digit reversals.

    Consecutive inputs give unrelated outputs (unlike a single affine map), and distinct
    inputs still give distinct outputs, which keeps generated identifiers unique.

    Parameters
    ----------
    index : ndarray of int64
        Inputs in ``[0, 10**width)``.
    width : int
        Number of decimal digits (at most 15).
    salt : int

    Returns
    -------
    ndarray of int64
    """
    modulus = 10**width
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    value = index
    for round_, share in enumerate((0.61, 0.37, 0.83)):
        value = scramble(value, modulus, _coprime_multiplier(modulus, share), salt // (round_ + 3))
        if round_ < 2:
            value = base_digits(value, 10, width)[:, ::-1] @ powers
    return value
