"""Policy documents: JDM decision graphs (GoRules format) as immutable, hashed values (pure).

A policy is identified by a key (its path under the policies directory without ``.json``,
e.g. ``origination/approve``), a human version label (from its cases file) and the sha256
of its *canonical* JSON (sorted keys, no insignificant whitespace, UTF-8), so re-saving a
file in the editor with different indentation does not change the hash, while any change
to a rule does.

>>> a = content_sha256(canonical_json({"nodes": [], "edges": []}))
>>> a == content_sha256(canonical_json({"edges": [], "nodes": []})), len(a)
(True, 64)
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from autolease.decision.exceptions import PolicyInvalid
from autolease.exceptions import FieldError

KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*(/[a-z0-9][a-z0-9_-]*)*$")
VERSION_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
NODE_TYPES = frozenset(
    {
        "inputNode",
        "outputNode",
        "decisionTableNode",
        "expressionNode",
        "switchNode",
        "functionNode",
        "decisionNode",
    }
)


@dataclass(frozen=True)
class PolicyDocument:
    """One version of one policy: key, version label, canonical JSON content and its hash."""

    key: str
    version: str
    content: str
    content_hash: str
    description: str = ""

    @classmethod
    def from_text(
        cls, key: str, version: str, text: str, *, description: str = ""
    ) -> PolicyDocument:
        """Parse, validate and canonicalise a JDM graph.

        Parameters
        ----------
        key, version : str
            Policy key (``origination/approve``) and version label (``2026.12.1``).
        text : str
            The graph as JSON text.
        description : str
            Free text shown in listings.

        Returns
        -------
        PolicyDocument

        Raises
        ------
        PolicyInvalid
            When the key, the version or the graph is malformed (the error names the field).
        """
        try:
            graph = json.loads(text)
        except json.JSONDecodeError as err:
            raise _invalid("content", "json", f"policy {key} is not valid JSON: {err.msg}") from err
        return cls.from_graph(key, version, graph, description=description)

    @classmethod
    def from_graph(
        cls, key: str, version: str, graph: object, *, description: str = ""
    ) -> PolicyDocument:
        """Like `from_text`, for an already parsed graph."""
        check_key(key)
        check_version(version)
        check_graph(graph)
        content = canonical_json(graph)
        return cls(key, version, content, content_sha256(content), description)

    @property
    def ref(self) -> str:
        """``key@version`` for messages and listings."""
        return f"{self.key}@{self.version}"

    def graph(self) -> dict[str, Any]:
        """The graph as a fresh dict."""
        parsed: dict[str, Any] = json.loads(self.content)
        return parsed


def canonical_json(graph: object) -> str:
    """The canonical text of a graph: sorted keys, compact separators, UTF-8 kept.

    >>> canonical_json({"b": 1, "a": [1, 2]})
    '{"a":[1,2],"b":1}'
    """
    return json.dumps(graph, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_sha256(content: str) -> str:
    """sha256 (hex) of canonical content."""
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def check_key(key: str) -> None:
    """Raise `PolicyInvalid` unless ``key`` is lower-case path segments (``a/b-c``)."""
    if not KEY_PATTERN.fullmatch(key):
        raise _invalid(
            "key",
            "pattern",
            "policy key must be lower-case segments separated by '/', e.g. origination/approve",
        )


def check_version(version: str) -> None:
    """Raise `PolicyInvalid` unless ``version`` is 1-40 of ``A-Z a-z 0-9 . _ -``."""
    if not VERSION_PATTERN.fullmatch(version):
        raise _invalid(
            "version", "pattern", "policy version must be 1-40 characters of A-Z a-z 0-9 . _ -"
        )


def check_graph(graph: object) -> None:
    """Structural checks the engine would otherwise report late or obscurely.

    One input node, at least one output node, known node types, unique node ids and edges
    between existing nodes.
    """
    if not isinstance(graph, Mapping):
        raise _invalid("content", "type", "a policy graph must be a JSON object")
    nodes, edges = graph.get("nodes"), graph.get("edges")
    if not isinstance(nodes, list) or not isinstance(edges, list):
        raise _invalid("content", "shape", "a policy graph needs 'nodes' and 'edges' lists")
    ids = _node_ids(nodes)
    types = [node.get("type") for node in nodes]
    if types.count("inputNode") != 1 or "outputNode" not in types:
        raise _invalid(
            "content.nodes", "io", "a policy graph needs exactly one input and one output node"
        )
    for edge in edges:
        if (
            not isinstance(edge, Mapping)
            or not {
                edge.get("sourceId"),
                edge.get("targetId"),
            }
            <= ids
        ):
            raise _invalid("content.edges", "dangling", "an edge refers to a node that is absent")


def _node_ids(nodes: list[Any]) -> set[object]:
    ids: set[object] = set()
    for node in nodes:
        if not isinstance(node, Mapping) or node.get("type") not in NODE_TYPES:
            raise _invalid("content.nodes", "type", "a node has a missing or unknown type")
        if node.get("id") in ids or not isinstance(node.get("id"), str):
            raise _invalid("content.nodes", "id", "node ids must be unique strings")
        ids.add(node["id"])
    return ids


def _invalid(field: str, rule: str, message: str) -> PolicyInvalid:
    return PolicyInvalid(message, errors=[FieldError(field, rule, message, _ZH[rule])])


_ZH = {
    "json": "策略不是有效的JSON",
    "pattern": "格式不正确",
    "type": "策略图结构不正确",
    "shape": "策略图缺少nodes或edges",
    "io": "策略图需要一个输入节点和输出节点",
    "id": "节点id必须唯一",
    "dangling": "连线指向不存在的节点",
}
