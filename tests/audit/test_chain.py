"""Tests for autolease.audit.chain: the keyed audit hash chain and its verifier."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from autolease.audit.chain import (
    GENESIS_HASH,
    ChainProblem,
    ChainRecord,
    chain_key,
    content_of,
    record_hash,
    verify_chain,
)

KEY = chain_key(b"x" * 32)
START = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)
MADE_UP_HASH = "f" * 64


def make_record(seq: int, prev_hash: str, key: bytes = KEY, **changes: Any) -> ChainRecord:
    unsigned = ChainRecord(
        seq=seq,
        occurred_at=START + timedelta(minutes=seq),
        actor="reviewer",
        action="application.decided",
        entity_type="application",
        entity_id=f"app_{seq:04d}",
        payload={"outcome": "approve", "n": seq, "note": "通过"},
        prev_hash=prev_hash,
        hash="",
    )
    unsigned = dataclasses.replace(unsigned, **changes)
    return dataclasses.replace(unsigned, hash=record_hash(key, prev_hash, content_of(unsigned)))


def build_chain(n: int = 6, key: bytes = KEY) -> list[ChainRecord]:
    records: list[ChainRecord] = []
    prev = GENESIS_HASH
    for seq in range(1, n + 1):
        record = make_record(seq, prev, key)
        records.append(record)
        prev = record.hash
    return records


def head_of(records: list[ChainRecord]) -> tuple[int, str]:
    return records[-1].seq, records[-1].hash


class TestChainKey:
    def test_is_32_bytes(self) -> None:
        assert len(chain_key(b"x" * 32)) == 32

    def test_is_deterministic(self) -> None:
        assert chain_key(b"x" * 32) == chain_key(b"x" * 32)

    def test_differs_per_secret(self) -> None:
        assert chain_key(b"x" * 32) != chain_key(b"y" * 32)

    def test_is_not_the_secret_itself(self) -> None:
        assert chain_key(b"x" * 32) != b"x" * 32


class TestRecordHash:
    def test_is_64_hex(self) -> None:
        digest = record_hash(KEY, GENESIS_HASH, {"a": 1})
        assert len(digest) == 64
        assert set(digest) <= set("0123456789abcdef")

    def test_ignores_key_order_of_the_content(self) -> None:
        assert record_hash(KEY, GENESIS_HASH, {"a": 1, "b": 2}) == record_hash(
            KEY, GENESIS_HASH, {"b": 2, "a": 1}
        )

    def test_depends_on_the_previous_hash(self) -> None:
        assert record_hash(KEY, GENESIS_HASH, {"a": 1}) != record_hash(KEY, "1" * 64, {"a": 1})

    def test_depends_on_the_content(self) -> None:
        assert record_hash(KEY, GENESIS_HASH, {"a": 1}) != record_hash(KEY, GENESIS_HASH, {"a": 2})

    def test_depends_on_the_key(self) -> None:
        other = chain_key(b"y" * 32)
        assert record_hash(KEY, GENESIS_HASH, {"a": 1}) != record_hash(
            other, GENESIS_HASH, {"a": 1}
        )


class TestContentOf:
    def test_holds_every_field_but_the_hashes(self) -> None:
        record = make_record(3, GENESIS_HASH)
        assert content_of(record) == {
            "seq": 3,
            "occurred_at": "2026-11-29T02:03:00+00:00",
            "actor": "reviewer",
            "action": "application.decided",
            "entity_type": "application",
            "entity_id": "app_0003",
            "payload": {"outcome": "approve", "n": 3, "note": "通过"},
        }


class TestVerifyChain:
    def test_intact_chain_has_no_problem(self) -> None:
        records = build_chain()
        assert verify_chain(KEY, records, head_of(records)) is None

    def test_intact_chain_without_head_has_no_problem(self) -> None:
        assert verify_chain(KEY, build_chain(), None) is None

    def test_records_are_checked_in_seq_order_whatever_the_input_order(self) -> None:
        records = build_chain()
        assert verify_chain(KEY, list(reversed(records)), head_of(records)) is None

    def test_empty_chain_with_genesis_head_is_intact(self) -> None:
        assert verify_chain(KEY, [], (0, GENESIS_HASH)) is None

    def test_changed_payload_is_reported_as_changed_at_its_seq(self) -> None:
        records = build_chain()
        records[2] = dataclasses.replace(records[2], payload={"outcome": "decline"})
        problem = verify_chain(KEY, records, head_of(records))
        assert problem == ChainProblem(3, "changed", "content does not match its hash")

    def test_changed_actor_of_last_record_is_reported_as_changed(self) -> None:
        records = build_chain()
        records[-1] = dataclasses.replace(records[-1], actor="admin")
        problem = verify_chain(KEY, records, head_of(build_chain()))
        assert problem is not None
        assert (problem.seq, problem.kind) == (6, "changed")

    def test_changed_hash_field_is_reported_as_changed(self) -> None:
        records = build_chain()
        records[1] = dataclasses.replace(records[1], hash=MADE_UP_HASH)
        problem = verify_chain(KEY, records, head_of(records))
        assert problem is not None
        assert (problem.seq, problem.kind) == (2, "changed")

    def test_record_inserted_in_the_middle_is_reported_as_inserted(self) -> None:
        records = build_chain()
        forged = dataclasses.replace(
            records[2], actor="intruder", payload={"outcome": "approve"}, hash=MADE_UP_HASH
        )
        tampered = [*records[:2], forged, *records[2:]]
        problem = verify_chain(KEY, tampered, head_of(records))
        assert problem == ChainProblem(3, "inserted", "record is not part of the chain")

    def test_record_inserted_at_the_start_is_reported_as_inserted(self) -> None:
        records = build_chain()
        forged = dataclasses.replace(records[0], actor="intruder", hash=MADE_UP_HASH)
        problem = verify_chain(KEY, [forged, *records], head_of(records))
        assert problem is not None
        assert (problem.seq, problem.kind) == (1, "inserted")

    def test_deleted_middle_record_is_reported_at_the_following_seq(self) -> None:
        records = build_chain()
        del records[2]
        problem = verify_chain(KEY, records, head_of(records))
        assert problem == ChainProblem(4, "deleted", "predecessor missing records 3..3")

    def test_two_deleted_middle_records_name_the_gap(self) -> None:
        records = build_chain()
        del records[1:3]
        problem = verify_chain(KEY, records, head_of(records))
        assert problem == ChainProblem(4, "deleted", "predecessor missing records 2..3")

    def test_deleted_first_record_is_reported_at_seq_2(self) -> None:
        records = build_chain()
        problem = verify_chain(KEY, records[1:], head_of(records))
        assert problem is not None
        assert (problem.seq, problem.kind) == (2, "deleted")

    def test_deleted_tail_with_old_head_is_reported_as_deleted(self) -> None:
        records = build_chain()
        problem = verify_chain(KEY, records[:4], head_of(records))
        assert problem == ChainProblem(5, "deleted", "records 5..6 missing")

    def test_whole_chain_deleted_with_old_head_is_reported_as_deleted(self) -> None:
        records = build_chain()
        problem = verify_chain(KEY, [], head_of(records))
        assert problem == ChainProblem(1, "deleted", "records 1..6 missing")

    def test_valid_record_beyond_the_head_is_reported_as_inserted(self) -> None:
        records = build_chain(7)
        problem = verify_chain(KEY, records, head_of(records[:6]))
        assert problem == ChainProblem(7, "inserted", "records beyond the recorded tip")

    def test_head_hash_not_matching_the_last_record_is_reported(self) -> None:
        records = build_chain()
        problem = verify_chain(KEY, records, (6, MADE_UP_HASH))
        assert problem is not None
        assert problem.kind == "inserted"

    def test_wrong_key_is_reported_as_changed_at_seq_1(self) -> None:
        records = build_chain()
        problem = verify_chain(chain_key(b"y" * 32), records, head_of(records))
        assert problem is not None
        assert (problem.seq, problem.kind) == (1, "changed")

    def test_chain_rebuilt_under_another_key_is_rejected(self) -> None:
        forged = build_chain(key=chain_key(b"attacker" * 4))
        problem = verify_chain(KEY, forged, head_of(forged))
        assert problem is not None
        assert (problem.seq, problem.kind) == (1, "changed")

    def test_seq_gap_with_consistent_hashes_is_reported_as_deleted(self) -> None:
        first = make_record(1, GENESIS_HASH)
        skipped = make_record(3, first.hash)
        problem = verify_chain(KEY, [first, skipped], (3, skipped.hash))
        assert problem is not None
        assert (problem.seq, problem.kind) == (3, "deleted")

    @pytest.mark.parametrize("index", range(6))
    def test_each_changed_record_is_found_at_its_own_seq(self, index: int) -> None:
        records = build_chain()
        records[index] = dataclasses.replace(records[index], entity_id="app_evil")
        problem = verify_chain(KEY, records, head_of(records))
        assert problem is not None
        assert (problem.seq, problem.kind) == (index + 1, "changed")


class TestTipCutOff:
    """Records cut off the end of the chain, with the tip rolled back or deleted with them."""

    def test_tail_deleted_with_the_tip_names_the_first_missing_record(self) -> None:
        records = build_chain()
        problem = verify_chain(KEY, records[:4], (0, GENESIS_HASH))
        assert problem == ChainProblem(
            5, "deleted", "the recorded tip is missing; records after 4 may have been deleted"
        )

    def test_tail_deleted_with_the_tip_rolled_back_passes_without_a_checkpoint(self) -> None:
        records = build_chain()
        assert verify_chain(KEY, records[:4], head_of(records[:4])) is None

    def test_a_checkpoint_past_the_rolled_back_tip_names_the_missing_records(self) -> None:
        records = build_chain()
        problem = verify_chain(KEY, records[:4], head_of(records[:4]), [head_of(records)])
        assert problem == ChainProblem(
            5, "deleted", "records 5..6 missing (checkpointed tip: seq 6)"
        )

    def test_a_checkpoint_names_the_range_when_the_tip_is_deleted_too(self) -> None:
        records = build_chain()
        problem = verify_chain(KEY, records[:2], (0, GENESIS_HASH), [head_of(records[:5])])
        assert problem == ChainProblem(
            3, "deleted", "records 3..5 missing (checkpointed tip: seq 5)"
        )

    def test_a_chain_that_still_holds_its_checkpoints_is_intact(self) -> None:
        records = build_chain()
        anchors = [head_of(records[:2]), head_of(records), (0, GENESIS_HASH)]
        assert verify_chain(KEY, records, head_of(records), anchors) is None

    def test_a_chain_rebuilt_since_its_checkpoint_is_reported_at_the_checkpoint(self) -> None:
        records = build_chain()
        rebuilt = build_chain(key=KEY)[:3]
        rebuilt[2] = make_record(3, rebuilt[1].hash, payload={"outcome": "decline"})
        problem = verify_chain(KEY, rebuilt, head_of(rebuilt), [head_of(records[:3])])
        assert problem == ChainProblem(
            3, "changed", "record does not match the checkpoint (checkpointed tip: seq 3)"
        )

    def test_a_broken_link_before_the_checkpoint_is_reported_first(self) -> None:
        records = build_chain()
        records[1] = dataclasses.replace(records[1], actor="admin")
        problem = verify_chain(KEY, records[:4], head_of(records[:4]), [head_of(build_chain())])
        assert problem is not None
        assert (problem.seq, problem.kind) == (2, "changed")
