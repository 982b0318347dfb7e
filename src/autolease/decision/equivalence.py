"""Which policy inputs a set of policies cannot tell apart: a key to reuse their answers (pure).

The backtest evaluates millions of inputs that differ only in continuous values (LTV, PD,
fraud score, ages). When every use of a number field in a graph is a comparison with a
number literal (``ltv > 0.70``, ``credit_pd >= 0.08``, ``term_months in [12, 24]``,
``mileage_km == null``), the graph cannot tell apart two values that fall between the same
two literals: every comparison gives the same answer for both, so the whole graph does.
`input_classes` finds those literals ("cuts") by reading the graphs' expressions, and
`InputClasses.key` maps an input to its class: the interval index for such a number, the
exact value for everything else.

The analysis is conservative: a field used in any other way (arithmetic, a function
argument, compared with another field or a string, a unary-test column) is keyed by its
exact value, and a graph with a node or syntax it does not understand (function or switch
nodes, ``$``, template strings, pass-through) gives no classes at all. Exactness at the
cuts: zen-engine turns a float into a decimal of about 16 significant digits
(``0.7000000000000001 > 0.70`` is false there), so a value within `NEAR` of a cut is keyed
exactly, and values zen-engine rejects (non-finite, beyond `PLAIN_LIMIT`) are keyed exactly
too, so the engine reproduces its own error for them.

>>> classes = input_classes([{"nodes": [{"type": "expressionNode", "content": {
...     "expressions": [{"key": "high", "value": "ltv > 0.7"}]}}]}])
>>> classes.cuts
{'ltv': (0.7,)}
>>> classes.key({"ltv": 0.41}) == classes.key({"ltv": 0.69}) != classes.key({"ltv": 0.71})
True
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

NEAR = 1e-9
"""Values closer than this (relative to the cut, at least absolute) are keyed exactly."""
PLAIN_LIMIT = 1e15
"""Numbers at or beyond this magnitude are keyed exactly (zen rejects some, e.g. 1e29)."""

UNDERSTOOD_NODES = frozenset({"inputNode", "outputNode", "decisionTableNode", "expressionNode"})
COMPARISONS = frozenset({"==", "!=", "<", "<=", ">", ">="})
OPENERS = frozenset({None, "and", "or", "("})
CLOSERS = frozenset({None, "and", "or", ")"})
KEYWORDS = frozenset({"and", "or", "not", "in", "null", "true", "false", "#"})
_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
      | (?P<number>\d+(?:\.\d+)?(?![\w.]))
      | (?P<name>[A-Za-z_$#][A-Za-z0-9_$]*)
      | (?P<op>==|!=|<=|>=|&&|\|\||\?\?|\?\.|\.\.|[-+*/%^!<>()\[\]{},.:?`])
      | (?P<other>\S)
    )""",
    re.VERBOSE,
)


class Unsupported(ValueError):
    """The graph uses something the analysis does not understand (no classes then)."""


@dataclass(frozen=True)
class Token:
    kind: str
    text: str


@dataclass
class FieldUses:
    """How the graphs use one name: the number literals it is compared with, or exactly."""

    cuts: set[float] = field(default_factory=set)
    exact: bool = False


@dataclass(frozen=True)
class InputClasses:
    """The key of an input's class under the analysed graphs (see the module docstring)."""

    cuts: dict[str, tuple[float, ...]]
    """Number fields compared only with literals: their sorted literals."""
    exact: frozenset[str]
    """Fields the graphs read in some other way: keyed by type and value."""
    _edges: dict[str, tuple[float, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        edges = {name: _edges(cuts) for name, cuts in self.cuts.items()}
        object.__setattr__(self, "_edges", edges)

    def key(self, values: Mapping[str, Any]) -> Hashable:
        """A hashable key; inputs with equal keys get equal answers from the graphs.

        A number compared only with literals becomes the index of its interval between the
        edges ``cut ± NEAR``: an odd index is within `NEAR` of a cut, so the value itself
        is kept there.
        """
        parts: list[Any] = [tuple(values)]
        append, edges, exact = parts.append, self._edges, self.exact
        for name, value in values.items():
            kind = type(value)
            bounds = edges.get(name)
            if bounds is not None and (kind is float or kind is int):
                if -PLAIN_LIMIT < value < PLAIN_LIMIT:  # also false for NaN
                    interval = bisect_right(bounds, value)
                    append(interval if interval % 2 == 0 else (kind, value))
                else:
                    append((kind, value))
            elif bounds is not None or name in exact:
                append(_exact(value))
            elif _convertible(value):  # never read: only that zen takes it matters
                append(kind)
            else:
                append(_exact(value))
        return tuple(parts)


def _edges(cuts: tuple[float, ...]) -> tuple[float, ...]:
    """``cut - NEAR·s, cut + NEAR·s`` for each cut (s = max(1, |cut|)), in order."""
    edges: list[float] = []
    for cut in cuts:
        band = NEAR * max(1.0, abs(cut))
        edges += [cut - band, cut + band]
    return tuple(edges)


def input_classes(graphs: Iterable[Mapping[str, Any]]) -> InputClasses | None:
    """The classes under which every graph of ``graphs`` answers alike, or None.

    Parameters
    ----------
    graphs : iterable of mapping
        JDM graphs (``PolicyDocument.graph()``).

    Returns
    -------
    InputClasses or None
        None when a graph uses a node type or syntax the analysis does not understand.
    """
    uses: dict[str, FieldUses] = {}
    try:
        for graph in graphs:
            for node in graph.get("nodes", []):
                _scan_node(node, uses)
    except (Unsupported, AttributeError, KeyError, TypeError):  # not a shape we know
        return None
    exact = frozenset(name for name, use in uses.items() if use.exact)
    cuts = {
        name: tuple(sorted(use.cuts)) for name, use in sorted(uses.items()) if name not in exact
    }
    return InputClasses(cuts, exact)


def exact_key(values: Mapping[str, Any]) -> Hashable:
    """The key of an input without classes: its names and every value, type-exact."""
    return (tuple(values), tuple(_exact(value) for value in values.values()))


def _exact(value: Any) -> Hashable:
    """``(type, value)``, with containers made hashable item by item (``True`` is not ``1``)."""
    kind = type(value)
    if kind is list or kind is tuple:
        return (kind, tuple(_exact(item) for item in value))
    if kind is dict:
        return (kind, tuple((k, _exact(v)) for k, v in value.items()))
    return (kind, value)


def _convertible(value: Any) -> bool:
    """Whether zen-engine takes ``value`` whatever it is (the type is in the key already)."""
    kind = type(value)
    if value is None or kind is str or kind is bool:
        return True
    if kind is float or kind is int:
        return bool(-PLAIN_LIMIT < value < PLAIN_LIMIT)
    if kind is list:
        return all(type(item) is str for item in value)
    return False


def _scan_node(node: Mapping[str, Any], uses: dict[str, FieldUses]) -> None:
    kind = node.get("type")
    if kind not in UNDERSTOOD_NODES:
        raise Unsupported(f"node type {kind}")
    content = node.get("content") or {}
    if not isinstance(content, Mapping):
        raise Unsupported("node content")
    if content.get("passThrough") or content.get("inputField"):
        raise Unsupported("pass-through or input field")
    if content.get("executionMode", "single") != "single":
        raise Unsupported("execution mode")
    if kind == "expressionNode":
        for expression in content.get("expressions", []):
            _scan_expression(expression.get("value"), uses)
    elif kind == "decisionTableNode":
        _scan_table(content, uses)


def _scan_table(content: Mapping[str, Any], uses: dict[str, FieldUses]) -> None:
    unary = {c["id"]: c["field"] for c in content.get("inputs", []) if c.get("field")}
    for column_field in unary.values():
        uses.setdefault(str(column_field).split(".")[0], FieldUses()).exact = True
    for rule in content.get("rules", []):
        for column, cell in rule.items():
            if column.startswith("_"):
                continue
            if column in unary:  # a unary test: every name in it is read some other way
                for token in _tokens(cell):
                    if token.kind != "name" or token.text in KEYWORDS or token.text == "$":
                        continue  # ``$`` is the column's own field here
                    if token.text.startswith("$"):
                        raise Unsupported("the whole context ($root, $nodes) is read")
                    uses.setdefault(token.text, FieldUses()).exact = True
            else:
                _scan_expression(cell, uses)


def _scan_expression(expression: object, uses: dict[str, FieldUses]) -> None:
    if expression is None or expression == "":
        return
    if not isinstance(expression, str):
        raise Unsupported("an expression that is not text")
    tokens = list(_tokens(expression))
    for i, token in enumerate(tokens):
        if token.kind != "name" or token.text in KEYWORDS:
            continue
        if token.text.startswith("$"):
            raise Unsupported("the whole context ($) is read")
        use = uses.setdefault(token.text, FieldUses())
        literals = _compared_literals(tokens, i)
        numbers = [v for v in literals or () if isinstance(v, float)]
        if literals is None or len(numbers) != sum(v is not None for v in literals):
            use.exact = True  # read some other way, or compared with text or a boolean
        else:
            use.cuts.update(numbers)


def _compared_literals(tokens: list[Token], i: int) -> list[float | str | None] | None:
    """The literals token ``i`` is compared with when it stands alone in a comparison.

    Recognised: ``name OP literal``, ``literal OP name`` and ``name in [literal, ...]``,
    each between an opener (start, ``and``, ``or``, ``(``) and a closer (end, ``and``,
    ``or``, ``)``). Anything else is None: the name is read some other way.
    """
    before = _text_at(tokens, i - 1)
    after = _text_at(tokens, i + 1)
    if before in COMPARISONS and after in CLOSERS:  # literal OP name
        start = i - 2
        if tokens[start].kind == "number" and _text_at(tokens, start - 1) == "-":
            start -= 1
        literal, end = _literal(tokens, start)
        if end == i - 1 and _text_at(tokens, start - 1) in OPENERS:
            return [literal]
        return None
    if before not in OPENERS:
        return None
    if after in COMPARISONS:
        literal, end = _literal(tokens, i + 2)
        return [literal] if end > i + 2 and _text_at(tokens, end) in CLOSERS else None
    if after == "in" and _text_at(tokens, i + 2) == "[":
        return _literal_list(tokens, i + 3)
    return None


def _literal_list(tokens: list[Token], start: int) -> list[float | str | None] | None:
    literals: list[float | str | None] = []
    position = start
    while True:
        literal, end = _literal(tokens, position)
        if end == position:
            return None
        literals.append(literal)
        if _text_at(tokens, end) == "]":
            return literals if _text_at(tokens, end + 1) in CLOSERS else None
        if _text_at(tokens, end) != ",":
            return None
        position = end + 1


def _literal(tokens: list[Token], start: int) -> tuple[float | str | None, int]:
    """A literal starting at ``start`` and the index after it (``start`` when there is none).

    Numbers come back as floats, ``null`` as None, any other literal as its text (a string
    or a boolean: a field compared with one is keyed exactly).
    """
    if start < 0 or start >= len(tokens):
        return None, start
    token = tokens[start]
    if token.kind == "number":
        return float(token.text), start + 1
    if token.text == "-" and _kind_at(tokens, start + 1) == "number":
        return -float(tokens[start + 1].text), start + 2
    if token.kind == "string" or token.text in ("true", "false"):
        return token.text, start + 1
    if token.text == "null":
        return None, start + 1
    return None, start


def _text_at(tokens: list[Token], i: int) -> str | None:
    return tokens[i].text if 0 <= i < len(tokens) else None


def _kind_at(tokens: list[Token], i: int) -> str | None:
    return tokens[i].kind if 0 <= i < len(tokens) else None


def _tokens(expression: object) -> Iterator[Token]:
    if not isinstance(expression, str):
        raise Unsupported("an expression that is not text")
    position = 0
    text = expression.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:  # pragma: no cover - the pattern matches any non-space character
            raise Unsupported("untokenisable expression")
        kind = match.lastgroup or "other"
        value = match.group(kind)
        if value == "`":
            raise Unsupported("template strings")
        yield Token(kind, value)
        position = match.end()
