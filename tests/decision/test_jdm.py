from __future__ import annotations

import json

import pytest

from autolease.decision.exceptions import PolicyInvalid
from autolease.decision.jdm import PolicyDocument, canonical_json, content_sha256
from tests.decision.conftest import graph


class TestFromText:
    def test_formatting_does_not_change_the_hash(self) -> None:
        g = graph([("x > 1", "X", "refer")])
        compact = PolicyDocument.from_text("a/b", "1", json.dumps(g))
        pretty = PolicyDocument.from_text("a/b", "1", json.dumps(g, indent=4, sort_keys=True))
        assert compact.content_hash == pretty.content_hash
        assert compact.content == canonical_json(g)

    def test_a_changed_threshold_changes_the_hash(self) -> None:
        one = PolicyDocument.from_graph("a/b", "1", graph([("x > 1", "X", "refer")]))
        two = PolicyDocument.from_graph("a/b", "1", graph([("x > 2", "X", "refer")]))
        assert one.content_hash != two.content_hash
        assert one.content_hash == content_sha256(one.content)

    def test_invalid_json_names_the_content_field(self) -> None:
        with pytest.raises(PolicyInvalid, match="not valid JSON") as err:
            PolicyDocument.from_text("a/b", "1", "{nope")
        assert err.value.errors[0].field == "content"

    @pytest.mark.parametrize("key", ["", "A/b", "a//b", "/a", "a/b/", "a b"])
    def test_bad_keys_are_refused(self, key: str) -> None:
        with pytest.raises(PolicyInvalid) as err:
            PolicyDocument.from_graph(key, "1", graph([]))
        assert err.value.errors[0].field == "key"

    @pytest.mark.parametrize("version", ["", "1 0", "x" * 41, "-1"])
    def test_bad_versions_are_refused(self, version: str) -> None:
        with pytest.raises(PolicyInvalid) as err:
            PolicyDocument.from_graph("a/b", version, graph([]))
        assert err.value.errors[0].field == "version"


class TestCheckGraph:
    def test_needs_one_input_and_an_output(self) -> None:
        g = graph([])
        g["nodes"] = [n for n in g["nodes"] if n["type"] != "outputNode"]
        with pytest.raises(PolicyInvalid, match="input and one output"):
            PolicyDocument.from_graph("a/b", "1", g)

    def test_dangling_edges_are_refused(self) -> None:
        g = graph([])
        g["edges"].append({"id": "x", "sourceId": "rules", "targetId": "ghost", "type": "edge"})
        with pytest.raises(PolicyInvalid, match="absent"):
            PolicyDocument.from_graph("a/b", "1", g)

    def test_unknown_node_types_are_refused(self) -> None:
        g = graph([])
        g["nodes"][1]["type"] = "magicNode"
        with pytest.raises(PolicyInvalid, match="unknown type"):
            PolicyDocument.from_graph("a/b", "1", g)

    def test_duplicate_node_ids_are_refused(self) -> None:
        g = graph([])
        g["nodes"][1]["id"] = "in"
        with pytest.raises(PolicyInvalid, match="unique"):
            PolicyDocument.from_graph("a/b", "1", g)

    def test_a_list_is_not_a_graph(self) -> None:
        with pytest.raises(PolicyInvalid, match="JSON object"):
            PolicyDocument.from_graph("a/b", "1", [])
