"""Structural evidence for path templates, decided once all traffic is known.

The online templater (docgen.infer.paths) keeps a word literal until `param_threshold`
distinct values follow one prefix. Real captures are small: three projects, two classes,
one issue key. So at the end of a build, every literal word position (not a leading,
pinned, profile or resource-root segment) is judged again on its structure:

continuation  siblings (values after the same templated prefix, on the same host) lead to
              the same next segments (`/repos/o/a/actions/secrets`, `/repos/o/b/actions/
              secrets`), with at least one literal among them: they are values of one
              parameter, whatever their count. A parameter sibling counts too, so an issue
              key `ABC-9` beside the integer ids of `/issue/10010` joins them.
schema        sibling leaves answer successful JSON of the same shape (`/classes/_User` and
              `/classes/_Followee` both answer `{"results": [...]}`).
self-identity the response of the exchange names the segment in an identity field (`GET
              /repos/facebook/jest` answers `"name": "jest"`).
body-value    the segment, not the last one, is the value of an identity field (`login`,
              `key`, `*_id`, ..., not `*name`) somewhere in the capture's bodies, or the response of
              the exchange quotes it (`Resource not found: thisisafakekey`) - only for
              values that are not plain lower-case words (more likely path vocabulary).

Siblings whose successful responses differ in shape for the same method never merge.
Error responses carry generic error bodies, so they are no evidence of shared structure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from docgen.infer.bodywalks import last_key_word
from docgen.infer.paths import Decision, Templated, join_decisions, name_params

CANDIDATES = ("ambiguous", "literal-word")  # literal for lack of evidence, not by rule
ROOT = "resource-root"  # a first segment: only evidence about the value itself promotes it
PARAM_KEY = "{}"
MAX_ROUNDS = 8  # each round may promote deeper positions; paths are rarely deeper
MAX_IDENTITIES = 100_000
_WORD = re.compile(r"[a-z]{1,10}")  # a plain word: path vocabulary more than data


@dataclass
class Route:
    """One provisional endpoint: a method, a host and the decisions of one of its paths."""

    method: str
    host: str
    decisions: tuple[Decision, ...]
    signatures: frozenset[str] = frozenset()  # shapes of its successful JSON responses
    self_ids: dict[str, str] = field(default_factory=dict)  # value -> identity key, own responses
    echoed: frozenset[str] = frozenset()  # segment values its responses quote


Key = tuple[str, tuple[str, ...], str]  # host, templated prefix, literal value
Arrival = tuple[int, int]  # exchange number, values noted before in that part


class Structure:
    """Learns which literal positions are parameters (`learn`), then re-templates (`apply`)."""

    def __init__(self, ordered: bool = False) -> None:
        self.identities: dict[str, str] = {}  # value -> identity key it was seen under
        self.promoted: dict[Key, tuple[str, str]] = {}  # -> (rule, detail)
        # Ordered (a part of a split build, docgen.infer.partition): when each value was
        # first noted, (exchange number `now`, a running count), so parts merge in the
        # order one builder would have met their values.
        self.arrivals: dict[str, Arrival] | None = {} if ordered else None
        self.now = 0
        self._noted = 0

    def note_identities(self, found: Iterable[tuple[str, str]]) -> None:
        """Remember identity values `found` in a body (`identity_values`): the first
        MAX_IDENTITIES values met, each with the first key it was met under."""
        for key, value in found:
            if value not in self.identities and len(self.identities) < MAX_IDENTITIES:
                self.identities[value] = key
                if self.arrivals is not None:
                    self._noted += 1
                    self.arrivals[value] = (self.now, self._noted)

    def merge_ordered(self, parts: Iterable[Structure]) -> None:
        """The identities one builder would have kept, from ordered parts that each saw
        some of the exchanges: the first met of each part's first MAX_IDENTITIES values
        include the first MAX_IDENTITIES values met in all."""
        met: list[tuple[Arrival, str, str]] = []
        for part in parts:
            if part.arrivals is None:
                raise ValueError("merge_ordered needs ordered parts")
            met.extend((part.arrivals[value], value, key)
                       for value, key in part.identities.items())
        met.sort()
        self.identities = {}
        for _, value, key in met:
            if len(self.identities) >= MAX_IDENTITIES:
                break
            self.identities.setdefault(value, key)

    def apply(self, host: str, templated: Templated) -> Templated:
        """`templated` with the promoted positions made parameters and names re-derived."""
        keys: list[str] = []
        decisions: list[Decision] = []
        changed = False
        for decision in templated.decisions:
            found = None
            if not decision.is_param and decision.rule in (*CANDIDATES, ROOT):
                found = self.promoted.get((host, tuple(keys), decision.value))
            if found is not None:
                decision = replace(decision, is_param=True, rule=found[0], detail=found[1])
                changed = True
            decisions.append(decision)
            keys.append(PARAM_KEY if decision.is_param else decision.value)
        if not changed:
            return templated
        named = name_params(decisions)
        return Templated(templated.path, join_decisions(named) or "/", tuple(named))

    def learn(self, routes: list[Route]) -> None:
        for _ in range(MAX_ROUNDS):
            if not self._round(routes):
                return

    def _round(self, routes: list[Route]) -> bool:
        siblings: dict[tuple[str, tuple[str, ...]], dict[str, list[tuple[Route, int]]]] = {}
        for route in routes:
            keys = self._keys(route)
            for index, decision in enumerate(route.decisions):
                literal_candidate = keys[index] != PARAM_KEY and decision.rule in CANDIDATES
                if keys[index] == PARAM_KEY or literal_candidate:
                    parent = siblings.setdefault((route.host, tuple(keys[:index])), {})
                    parent.setdefault(keys[index], []).append((route, index))
                elif decision.rule == ROOT:
                    self._individual(route, index, keys)
        changed = False
        for (host, prefix), children in siblings.items():
            for value, rule, detail in _shared(children, self._keys):
                changed |= self._promote((host, prefix, value), rule, detail)
            for value, members in children.items():
                if value != PARAM_KEY:
                    route, index = members[0]
                    changed |= self._individual(route, index, self._keys(route))
        return changed

    def _keys(self, route: Route) -> list[str]:
        keys: list[str] = []
        for decision in route.decisions:
            promoted = not decision.is_param and (
                route.host, tuple(keys), decision.value) in self.promoted
            keys.append(PARAM_KEY if decision.is_param or promoted else decision.value)
        return keys

    def _individual(self, route: Route, index: int, keys: list[str]) -> bool:
        value = route.decisions[index].value
        key: Key = (route.host, tuple(keys[:index]), value)
        if key in self.promoted:
            return False
        if value in route.self_ids:
            return self._promote(key, "self-identity", f"its response names it in "
                                 f"`{route.self_ids[value]}`")
        if _WORD.fullmatch(value):
            return False
        # Only inside a path: a last segment named in some body is as often a file or a
        # word (`package.json` is a file `name` in search results) as an identifier. And
        # not from `*name` fields elsewhere: `"className": "_User"` names a type of thing,
        # vocabulary of the API; `login`, `key`, `*_id` name one instance.
        if value in self.identities and index + 1 < len(route.decisions) and not \
                last_key_word(self.identities[value]) == "name":
            return self._promote(key, "body-value", f"recorded bodies carry it as "
                                 f"`{self.identities[value]}`")
        if value in route.echoed:
            return self._promote(key, "body-value", "its response quotes it")
        return False

    def _promote(self, key: Key, rule: str, detail: str) -> bool:
        if key in self.promoted:
            return False
        self.promoted[key] = (rule, detail)
        return True


def _shared(children: dict[str, list[tuple[Route, int]]],
            keys_of: Any) -> list[tuple[str, str, str]]:
    """(value, rule, detail) of literal siblings that share structure with another sibling."""
    continuations: dict[str, set[tuple[str, tuple[str, ...]]]] = {}
    leaves: dict[str, dict[str, set[str]]] = {}
    for value, members in children.items():
        for route, index in members:
            suffix = tuple(keys_of(route)[index + 1:])
            if suffix and any(part != PARAM_KEY for part in suffix):
                continuations.setdefault(value, set()).add((route.method, suffix))
            elif not suffix and route.signatures:
                leaves.setdefault(value, {}).setdefault(route.method, set()).update(
                    route.signatures)
    found: list[tuple[str, str, str]] = []
    for value in children:
        if value == PARAM_KEY:
            continue
        for other in children:
            if other == value or _conflict(leaves.get(value, {}), leaves.get(other, {})):
                continue
            label = "the parameter sibling" if other == PARAM_KEY else f"`{other}`"
            if continuations.get(value, set()) & continuations.get(other, set()):
                found.append((value, "continuation", f"continues like {label}"))
                break
            if _same_leaf(leaves.get(value, {}), leaves.get(other, {})):
                found.append((value, "schema", f"answers the same JSON shape as {label}"))
                break
    return found


def _conflict(mine: dict[str, set[str]], theirs: dict[str, set[str]]) -> bool:
    return any(method in theirs and not (shapes & theirs[method])
               for method, shapes in mine.items())


def _same_leaf(mine: dict[str, set[str]], theirs: dict[str, set[str]]) -> bool:
    return any(method in theirs and shapes & theirs[method] for method, shapes in mine.items())
