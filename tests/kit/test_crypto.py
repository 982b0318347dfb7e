"""Tests for autolease.kit.crypto: AES-GCM field encryption and keyed blind indexes."""

from __future__ import annotations

import base64
import itertools
import os
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autolease.kit.crypto import NONCE_BYTES, DecryptionError, FieldCipher

FAST = settings(max_examples=60, deadline=None, database=None)

K1 = b"1" * 32
K2 = b"2" * 32
BLIND = b"b" * 32
PHONE = "13812345678"


def make_cipher(
    active: str = "k1",
    blind: bytes = BLIND,
    nonce_source: Callable[[int], bytes] = os.urandom,
) -> FieldCipher:
    return FieldCipher({"k1": K1, "k2": K2}, active, blind, nonce_source)


def counting_nonces() -> Callable[[int], bytes]:
    counter = itertools.count()
    return lambda n: next(counter).to_bytes(n, "big")


def payload_bytes(token: str) -> bytes:
    return base64.b64decode(token.partition(":")[2])


class TestEncryptDecrypt:
    @FAST
    @given(text=st.text(), context=st.text(min_size=1, max_size=20))
    def test_round_trip_returns_the_plaintext_for_any_text(self, text: str, context: str) -> None:
        cipher = make_cipher()
        assert cipher.decrypt(cipher.encrypt(text, context=context), context=context) == text

    def test_token_is_prefixed_with_the_active_key_id(self) -> None:
        token = make_cipher("k2").encrypt(PHONE, context="phone")
        assert token.startswith("k2:")

    def test_payload_is_nonce_then_ciphertext_and_16_byte_tag(self) -> None:
        token = make_cipher().encrypt(PHONE, context="phone")
        assert len(payload_bytes(token)) == NONCE_BYTES + len(PHONE.encode()) + 16

    def test_same_plaintext_encrypts_differently_each_time(self) -> None:
        cipher = make_cipher()
        tokens = {cipher.encrypt(PHONE, context="phone") for _ in range(20)}
        assert len(tokens) == 20

    def test_nonces_differ_between_encryptions(self) -> None:
        cipher = make_cipher()
        first = payload_bytes(cipher.encrypt(PHONE, context="phone"))[:NONCE_BYTES]
        second = payload_bytes(cipher.encrypt(PHONE, context="phone"))[:NONCE_BYTES]
        assert first != second

    @FAST
    @given(text=st.text(alphabet="0123456789ABCDEFX张三丰", min_size=4, max_size=40))
    def test_token_never_contains_the_plaintext(self, text: str) -> None:
        token = make_cipher().encrypt(text, context="id_number")
        assert text not in token
        assert text.encode() not in payload_bytes(token)

    def test_decrypt_under_another_context_raises(self) -> None:
        cipher = make_cipher()
        token = cipher.encrypt(PHONE, context="phone")
        with pytest.raises(DecryptionError, match="authentication"):
            cipher.decrypt(token, context="contact_phone")

    def test_flipped_ciphertext_bit_raises(self) -> None:
        cipher = make_cipher()
        token = cipher.encrypt(PHONE, context="phone")
        raw = bytearray(payload_bytes(token))
        raw[NONCE_BYTES] ^= 0x01
        tampered = "k1:" + base64.b64encode(bytes(raw)).decode()
        with pytest.raises(DecryptionError, match="authentication"):
            cipher.decrypt(tampered, context="phone")

    def test_flipped_nonce_bit_raises(self) -> None:
        cipher = make_cipher()
        token = cipher.encrypt(PHONE, context="phone")
        raw = bytearray(payload_bytes(token))
        raw[0] ^= 0x80
        tampered = "k1:" + base64.b64encode(bytes(raw)).decode()
        with pytest.raises(DecryptionError):
            cipher.decrypt(tampered, context="phone")

    def test_relabelled_key_id_raises(self) -> None:
        cipher = make_cipher()
        token = cipher.encrypt(PHONE, context="phone")
        with pytest.raises(DecryptionError):
            cipher.decrypt("k2:" + token.partition(":")[2], context="phone")

    def test_payload_too_short_for_a_nonce_raises(self) -> None:
        with pytest.raises(DecryptionError):
            make_cipher().decrypt("k1:" + base64.b64encode(b"abc").decode(), context="phone")

    @pytest.mark.parametrize("cut", [1, 2, 3])
    def test_truncated_token_raises_decryption_error(self, cut: int) -> None:
        cipher = make_cipher()
        token = cipher.encrypt("hello", context="phone")
        with pytest.raises(DecryptionError):
            cipher.decrypt(token[:-cut], context="phone")

    def test_payload_with_non_base64_characters_raises(self) -> None:
        cipher = make_cipher()
        token = cipher.encrypt(PHONE, context="phone")
        with pytest.raises(DecryptionError):
            cipher.decrypt(token[:10] + "!" + token[10:], context="phone")

    def test_unknown_key_id_raises(self) -> None:
        token = make_cipher().encrypt(PHONE, context="phone")
        with pytest.raises(DecryptionError, match="unknown key id 'k9'"):
            make_cipher().decrypt("k9:" + token.partition(":")[2], context="phone")

    def test_token_without_key_id_raises(self) -> None:
        with pytest.raises(DecryptionError, match="unknown key id"):
            make_cipher().decrypt("no-separator-here", context="phone")

    def test_unknown_key_error_does_not_echo_the_token(self) -> None:
        token = "k9:" + make_cipher().encrypt(PHONE, context="phone").partition(":")[2]
        with pytest.raises(DecryptionError) as excinfo:
            make_cipher().decrypt(token, context="phone")
        assert token.partition(":")[2] not in str(excinfo.value)


class TestKeyRotation:
    def test_active_key_id_is_exposed(self) -> None:
        assert make_cipher("k2").active_key_id == "k2"

    def test_cipher_with_new_active_key_decrypts_old_tokens(self) -> None:
        old_token = make_cipher("k1").encrypt(PHONE, context="phone")
        assert make_cipher("k2").decrypt(old_token, context="phone") == PHONE

    def test_new_writes_use_the_new_active_key(self) -> None:
        rotated = make_cipher("k2")
        new_token = rotated.encrypt(PHONE, context="phone")
        assert new_token.startswith("k2:")
        assert rotated.decrypt(new_token, context="phone") == PHONE

    def test_old_token_needs_rotation_under_new_active_key(self) -> None:
        old_token = make_cipher("k1").encrypt(PHONE, context="phone")
        assert make_cipher("k2").needs_rotation(old_token) is True

    def test_token_under_active_key_needs_no_rotation(self) -> None:
        cipher = make_cipher("k2")
        assert cipher.needs_rotation(cipher.encrypt(PHONE, context="phone")) is False

    def test_key_id_sharing_a_prefix_with_the_active_one_needs_rotation(self) -> None:
        cipher = FieldCipher({"k1": K1, "k10": K2}, "k1", BLIND)
        token = FieldCipher({"k10": K2}, "k10", BLIND).encrypt(PHONE, context="phone")
        assert cipher.needs_rotation(token) is True

    def test_retired_key_no_longer_decrypts(self) -> None:
        old_token = make_cipher("k1").encrypt(PHONE, context="phone")
        only_k2 = FieldCipher({"k2": K2}, "k2", BLIND)
        with pytest.raises(DecryptionError, match="unknown key id 'k1'"):
            only_k2.decrypt(old_token, context="phone")


class TestBlindIndex:
    def test_is_deterministic(self) -> None:
        assert make_cipher().blind_index("phone", PHONE) == make_cipher().blind_index(
            "phone", PHONE
        )

    def test_is_64_lowercase_hex(self) -> None:
        index = make_cipher().blind_index("phone", PHONE)
        assert len(index) == 64
        assert set(index) <= set("0123456789abcdef")

    def test_does_not_depend_on_the_data_key(self) -> None:
        assert make_cipher("k1").blind_index("phone", PHONE) == make_cipher("k2").blind_index(
            "phone", PHONE
        )

    def test_same_value_under_two_kinds_gives_different_indexes(self) -> None:
        cipher = make_cipher()
        assert cipher.blind_index("phone", PHONE) != cipher.blind_index("contact_phone", PHONE)

    def test_kind_and_value_boundary_cannot_be_shifted(self) -> None:
        cipher = make_cipher()
        assert cipher.blind_index("ab", "c") != cipher.blind_index("a", "bc")

    def test_different_values_give_different_indexes(self) -> None:
        cipher = make_cipher()
        assert cipher.blind_index("phone", "13812345678") != cipher.blind_index(
            "phone", "13812345679"
        )

    def test_normalises_case(self) -> None:
        cipher = make_cipher()
        assert cipher.blind_index("id_number", "11010519491231002x") == cipher.blind_index(
            "id_number", "11010519491231002X"
        )

    def test_normalises_surrounding_whitespace(self) -> None:
        cipher = make_cipher()
        assert cipher.blind_index("phone", f"  {PHONE}\t\n") == cipher.blind_index("phone", PHONE)

    def test_differs_under_a_different_blind_key(self) -> None:
        other = make_cipher(blind=b"c" * 32)
        assert other.blind_index("phone", PHONE) != make_cipher().blind_index("phone", PHONE)

    def test_does_not_contain_the_value(self) -> None:
        assert PHONE not in make_cipher().blind_index("phone", PHONE)


class TestInjectedNonceSource:
    def test_same_nonce_sequence_gives_identical_tokens(self) -> None:
        first = make_cipher(nonce_source=counting_nonces())
        second = make_cipher(nonce_source=counting_nonces())
        tokens_a = [first.encrypt(PHONE, context="phone") for _ in range(3)]
        tokens_b = [second.encrypt(PHONE, context="phone") for _ in range(3)]
        assert tokens_a == tokens_b

    def test_nonce_source_is_asked_for_nonce_bytes(self) -> None:
        requested: list[int] = []

        def source(n: int) -> bytes:
            requested.append(n)
            return b"\x07" * n

        token = make_cipher(nonce_source=source).encrypt(PHONE, context="phone")
        assert requested == [NONCE_BYTES]
        assert payload_bytes(token)[:NONCE_BYTES] == b"\x07" * NONCE_BYTES

    def test_deterministic_token_still_round_trips(self) -> None:
        cipher = make_cipher(nonce_source=counting_nonces())
        token = cipher.encrypt(PHONE, context="phone")
        assert make_cipher().decrypt(token, context="phone") == PHONE
