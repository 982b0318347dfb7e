"""Tests for autolease.audit.checkpoint: signing, writing and refusing checkpoints."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from autolease.audit.chain import chain_key
from autolease.audit.checkpoint import (
    CheckpointInvalid,
    checkpoint_key,
    dumps,
    key_id,
    loads,
    sign,
)

KEY = checkpoint_key(chain_key(b"x" * 32))
AT = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)
DIGEST = "a" * 64


def signed_text(**changes: object) -> str:
    fields = json.loads(dumps(sign(KEY, seq=7, digest=DIGEST, at=AT)))
    fields.update(changes)
    return json.dumps(fields)


class TestKeys:
    def test_the_checkpoint_key_is_neither_the_chain_key_nor_its_secret(self) -> None:
        assert KEY not in (chain_key(b"x" * 32), b"x" * 32)
        assert len(KEY) == 32

    def test_the_key_id_names_the_key_without_revealing_it(self) -> None:
        assert key_id(KEY).startswith("hmac-sha256:")
        assert KEY.hex()[:16] not in key_id(KEY)
        assert key_id(KEY) != key_id(checkpoint_key(chain_key(b"y" * 32)))


class TestRoundTrip:
    def test_a_signed_checkpoint_reads_back(self) -> None:
        written = sign(KEY, seq=7, digest=DIGEST, at=AT)
        read = loads(dumps(written), KEY)
        assert read == written
        assert read.anchor == (7, DIGEST)

    def test_the_file_holds_seq_hash_time_and_key_id(self) -> None:
        fields = json.loads(dumps(sign(KEY, seq=7, digest=DIGEST, at=AT)))
        assert fields["seq"] == 7
        assert fields["hash"] == DIGEST
        assert fields["at"] == "2026-11-29T02:00:00+00:00"
        assert fields["key_id"] == key_id(KEY)
        assert len(fields["signature"]) == 64


class TestRefused:
    @pytest.mark.parametrize(
        "changes",
        [{"seq": 9}, {"hash": "b" * 64}, {"at": "2026-11-30T02:00:00+00:00"}],
        ids=["seq", "hash", "at"],
    )
    def test_an_altered_field_breaks_the_signature(self, changes: dict[str, object]) -> None:
        with pytest.raises(CheckpointInvalid, match="signature does not match"):
            loads(signed_text(**changes), KEY)

    def test_a_forged_signature_is_refused(self) -> None:
        with pytest.raises(CheckpointInvalid, match="signature does not match"):
            loads(signed_text(signature="0" * 64), KEY)

    def test_a_checkpoint_of_another_key_names_both_key_ids(self) -> None:
        other = checkpoint_key(chain_key(b"y" * 32))
        text = dumps(sign(other, seq=7, digest=DIGEST, at=AT))
        with pytest.raises(CheckpointInvalid, match="another key") as caught:
            loads(text, KEY)
        assert key_id(other) in str(caught.value)
        assert key_id(KEY) in str(caught.value)

    @pytest.mark.parametrize(
        ("text", "reason"),
        [
            ("{", "not JSON"),
            ("[]", "not a checkpoint"),
            (signed_text(format="other/1"), "not a checkpoint"),
            (signed_text(seq=-1), "seq"),
            (signed_text(seq=True), "seq"),
            (signed_text(seq="7"), "seq"),
            (signed_text(hash="A" * 64), "hash"),
            (signed_text(hash=None), "hash"),
            (signed_text(signature=None), "signature is missing"),
            (signed_text(at="yesterday"), "ISO 8601"),
            (signed_text(at="2026-11-29T02:00:00"), "time zone"),
        ],
    )
    def test_a_malformed_checkpoint_says_why(self, text: str, reason: str) -> None:
        with pytest.raises(CheckpointInvalid, match=reason):
            loads(text, KEY)
