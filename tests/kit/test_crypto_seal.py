"""`FieldCipher.seal`/`unseal`: files (bytes) under the same keys, with rotation."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autolease.kit.crypto import NONCE_BYTES, DecryptionError, FieldCipher

K1, K2, BLIND = b"1" * 32, b"2" * 32, b"b" * 32


def cipher(active: str = "k1") -> FieldCipher:
    return FieldCipher({"k1": K1, "k2": K2}, active, BLIND)


@settings(max_examples=50, deadline=None, database=None)
@given(st.binary(max_size=4096))
def test_round_trip_and_the_ciphertext_is_not_the_plaintext(data: bytes) -> None:
    sealed = cipher().seal(data, context="document:x")
    assert cipher().unseal(sealed, context="document:x") == data
    assert len(sealed) == len(b"k1\x00") + NONCE_BYTES + len(data) + 16
    if len(data) >= 8:
        assert data not in sealed


def test_the_same_bytes_seal_differently_each_time() -> None:
    c = cipher()
    assert c.seal(b"same", context="c") != c.seal(b"same", context="c")


def test_another_context_fails() -> None:
    sealed = cipher().seal(b"id card", context="document:a")
    with pytest.raises(DecryptionError):
        cipher().unseal(sealed, context="document:b")


def test_tampering_fails() -> None:
    sealed = bytearray(cipher().seal(b"id card", context="c"))
    sealed[-3] ^= 0x01
    with pytest.raises(DecryptionError):
        cipher().unseal(bytes(sealed), context="c")


@pytest.mark.parametrize("blob", [b"", b"k1", b"k9\x00" + b"\x00" * 40, b"k1\x00short"])
def test_malformed_or_unknown_key_fails(blob: bytes) -> None:
    with pytest.raises(DecryptionError):
        cipher().unseal(blob, context="c")


def test_old_files_still_open_after_rotation() -> None:
    old = cipher("k1").seal(b"licence", context="c")
    rotated = cipher("k2")
    assert rotated.unseal(old, context="c") == b"licence"
    assert rotated.seal(b"licence", context="c").startswith(b"k2\x00")
    with pytest.raises(DecryptionError):
        FieldCipher({"k2": K2}, "k2", BLIND).unseal(old, context="c")
