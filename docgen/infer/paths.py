"""Path templating: which segments of recorded paths are parameters, and why.

Each segment of a path is decided by the first rule that applies, in this order:

1. leading      segments of the profile's base path (`/api/v2`), or an initial run of
                `api`/`rest`/`vN` words, are always literal.
2. pinned       the longest pinned template (config `templates`) matching a prefix of the
                path decides its segments, literal or parameter, with the pinned names.
3. pinned-literal / profile-word
                config `literals` and the profile's known path words stay literal.
4. shape        an id-shaped value (integer, UUID, 32 hex, call id, email, date, long mixed
                token) is a parameter, even when seen once.
5. resource-root the first segment after the leading ones names a collection: literal.
6. evidence     a position where at least `param_threshold` distinct non-id values follow
                the same (templated) prefix is a parameter position.
7. ambiguous / literal-word
                otherwise literal. In particular two (or any number below the threshold of)
                distinct non-id values at one position stay two literal paths: a wrongly
                literal path is visible and fixed by pinning a template, while wrongly merged
                endpoints would silently mix different resources.

So `/calls/active` stays literal beside `/calls/{callId}`: call ids are parameters by shape,
and `active` is the only non-id value after `/calls`. Once all traffic is known, positions
left literal for lack of evidence (ambiguous, literal-word) are judged again on structure
(docgen.infer.structure: siblings that continue or answer alike, identities in bodies).
Parameter names come from the structure (`name_params`): the parent segment (`users` ->
`userId`), `owner` + singular for a run of word-valued parameters (`/repos/{owner}/{repo}`),
else `param1`, `param2`..., made unique within the template; never from a value.

Evidence is learned online (`PathTemplater.observe`) in a prefix tree whose size stays
bounded: once a position is promoted to a parameter its literal subtrees are merged into one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import unquote

from docgen.capture.recent import remember
from docgen.infer.config import Config
from docgen.infer.distinct import unique_name
from docgen.infer.pathtree import DISTINCT_CAP, Position, merge_positions, promote, tree_size
from docgen.infer.profile import LEADING_WORD, IdShape

VERSION_NUMBER = re.compile(r"\d{1,2}")
MAX_PLANS = 4096  # paths whose evidence-free decisions are remembered (they repeat)

_PIN_PARAM = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_NAME_SOURCE = re.compile(r"[A-Za-z][A-Za-z0-9_-]{2,}")


@dataclass(frozen=True)
class Decision:
    """How one segment was decided."""

    index: int
    value: str  # the segment as sent
    rule: str  # leading, pinned, pinned-literal, profile-word, shape, resource-root,
    # evidence, ambiguous, literal-word
    is_param: bool = False
    name: str = ""  # parameter name (parameters only)
    shape: IdShape | None = None
    distinct: int = 0  # distinct non-id values seen after the same prefix
    threshold: int = 0
    pin: str = ""  # the pinned template that decided it
    detail: str = ""  # structural evidence (docgen.infer.structure): what the value shares

    def reason(self, prefix: str) -> str:
        """A sentence saying why; `prefix` is the templated path before this segment."""
        after = f"{prefix}/" if prefix else "/"
        seen = f"{self.distinct}+" if self.distinct >= DISTINCT_CAP else str(self.distinct)
        texts = {
            "leading": "leading segment (base path or api/version word): never a parameter",
            "pinned": f"pinned template {self.pin}",
            "pinned-literal": "pinned literal (config `literals`)",
            "profile-word": "known path word of the API profile",
            "shape": f"id shape {self.shape.name if self.shape else '?'}:"
            f" {self.shape.description if self.shape else ''}",
            "resource-root": "resource root: the first segment after the base path names a "
            "collection; only an id shape makes it a parameter",
            "evidence": f"evidence: {seen} distinct non-id values follow {after} "
            f"(threshold {self.threshold})",
            "ambiguous": f"ambiguous: {seen} distinct non-id values follow {after} "
            f"(threshold {self.threshold}); rule: below the threshold a segment stays "
            "literal (pin a template to make it a parameter)",
            "continuation": f"structure: {self.detail} (same next segments after {after})",
            "schema": f"structure: {self.detail} (siblings after {after})",
            "self-identity": f"structure: {self.detail}",
            "body-value": f"structure: {self.detail}",
            "literal-word": "literal word: not id-shaped, and "
            + (f"no values recorded after {after} yet" if not self.distinct
               else f"only {seen} distinct non-id value recorded after {after}")
            + f" (threshold {self.threshold})",
        }
        return texts[self.rule]


@dataclass(frozen=True)
class Templated:
    """A path with its template and the decision behind every segment."""

    path: str
    template: str
    decisions: tuple[Decision, ...]

    @property
    def params(self) -> list[Decision]:
        return [d for d in self.decisions if d.is_param]

    def explain(self) -> list[tuple[str, str, str]]:
        """(segment, outcome, reason) per segment, in order."""
        rows = []
        for decision in self.decisions:
            prefix = join_decisions(self.decisions[: decision.index])
            outcome = "{" + decision.name + "}" if decision.is_param else "literal"
            rows.append((decision.value, outcome, decision.reason(prefix)))
        return rows


def split_path(path: str) -> list[str]:
    """Non-empty segments of a path (any query string dropped)."""
    return [segment for segment in path.split("?", 1)[0].split("/") if segment]


def singular(word: str) -> str:
    """English singular for collection names: users -> user, queues -> queue."""
    lower = word.lower()
    if lower.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if lower.endswith(("sses", "shes", "ches", "xes", "zes", "uses")):
        return word[:-2]
    if lower.endswith("s") and not lower.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@lru_cache(maxsize=1024)  # the words before parameters repeat in every path of their kind
def param_name_for(parent: str) -> str | None:
    """`calls` -> `callId`, `call-logs` -> `callLogId`; None when the parent is no word."""
    parent = unquote(parent).lstrip("_")
    if not _NAME_SOURCE.fullmatch(parent) or LEADING_WORD.fullmatch(parent):
        return None
    words = [w for w in re.split(r"[-_]", singular(parent)) if w]
    camel = words[0][:1].lower() + words[0][1:] + "".join(w[:1].upper() + w[1:] for w in words[1:])
    return camel + "Id"


def join_decisions(decisions: tuple[Decision, ...] | list[Decision]) -> str:
    """The template of decided segments: `{name}` for parameters, literals as sent."""
    parts = ["{" + d.name + "}" if d.is_param else _literal(d.value) for d in decisions]
    return "/" + "/".join(parts) if parts else ""


def _literal(value: str) -> str:
    # A literal brace would read as an undeclared parameter in OpenAPI.
    return value.replace("{", "%7B").replace("}", "%7D")


@dataclass(frozen=True)
class _Pin:
    text: str
    segments: tuple[str, ...]
    names: tuple[str | None, ...]  # parameter name per segment, None for literals

    @classmethod
    def parse(cls, text: str) -> _Pin:
        segments = tuple(split_path(text))
        names = tuple(
            match.group(1) if (match := _PIN_PARAM.fullmatch(s)) else None for s in segments
        )
        return cls(text, segments, names)

    def matches(self, segments: list[str]) -> bool:
        if len(self.segments) > len(segments):
            return False
        return all(name is not None or pinned == actual
                   for pinned, name, actual in zip(self.segments, self.names, segments,
                                                          strict=False))

    def rank(self, path_length: int) -> tuple[bool, int, int]:
        literals = sum(name is None for name in self.names)
        return (len(self.segments) == path_length, len(self.segments), literals)


class _Plan(NamedTuple):
    """A path's segments and the decisions that need no evidence (None where it decides)."""

    segments: tuple[str, ...]
    leading: int  # leading segments; the next one is a resource root
    fixed: tuple[Decision | None, ...]
    settled: Templated | None  # the template, when evidence decides no segment


class PathTemplater:
    """Decides templates for raw paths, learning evidence from the paths it observes."""

    def __init__(self, config: Config | None = None) -> None:
        config = config or Config()
        self._profile = config.profile
        self._threshold = config.param_threshold
        self._literals = frozenset(config.literals)
        self._pins = [_Pin.parse(text) for text in config.templates]
        self._base = self._profile.base_segments
        self._root = Position()
        self._plans: dict[str, _Plan] = {}
        self._decided: dict[tuple[int, str, bool, str | None], Decision | None] = {}
        self._shapes: dict[str, IdShape | None] = {}
        self.observed = 0

    def __getstate__(self) -> dict[str, object]:
        # A pickled templater (a per-recorder summary) ships evidence, not this cache.
        return {**self.__dict__, "_plans": {}, "_decided": {}, "_shapes": {}}

    def observe(self, path: str) -> Templated:
        """Learn from one recorded path and return its template as of now."""
        self.observed += 1
        return self._walk(path, learn=True)

    def template(self, path: str) -> Templated:
        """The template of a path under all evidence so far (learns nothing)."""
        return self._walk(path, learn=False)

    def _walk(self, path: str, learn: bool) -> Templated:
        plan = self._plan(path)
        if plan.settled is not None:
            return plan.settled  # no segment depends on evidence: nothing to learn or look up
        node: Position | None = self._root
        decisions: list[Decision] = []
        for index, value in enumerate(plan.segments):
            decision = plan.fixed[index] or self._by_evidence(
                node, index, value, index == plan.leading, learn)
            decisions.append(decision)
            if node is not None:
                node = node.child(value, decision.is_param, create=learn)
        named = name_params(decisions)
        return Templated(path, join_decisions(named) or "/", tuple(named))

    def _plan(self, path: str) -> _Plan:
        """What of a path's templating needs no evidence, remembered per path (bounded):
        a capture asks for the same paths again and again."""
        found = self._plans.get(path)
        if found is None:
            segments = split_path(path)
            leading = self._leading_count(segments)
            pin = self._pin_for(segments)
            fixed = tuple(self._fixed(index, value, leading, pin)
                          for index, value in enumerate(segments))
            settled = None
            if all(decision is not None for decision in fixed):  # not `in`: no __eq__ calls
                named = name_params([d for d in fixed if d is not None])
                settled = Templated(path, join_decisions(named) or "/", tuple(named))
            found = remember(self._plans, path, _Plan(tuple(segments), leading, fixed, settled),
                             MAX_PLANS)
        return found

    def _leading_count(self, segments: list[str]) -> int:
        if self._base and segments[: len(self._base)] == self._base:
            return len(self._base)
        count = 0
        while count < len(segments) and LEADING_WORD.fullmatch(segments[count]):
            count += 1
        # `/rest/api/3`: a small number right after `api` is the API version, not an id.
        if count and count < len(segments) and segments[count - 1].lower() == "api" \
                and VERSION_NUMBER.fullmatch(segments[count]):
            count += 1
        return count

    def _pin_for(self, segments: list[str]) -> _Pin | None:
        matching = [pin for pin in self._pins if pin.matches(segments)]
        return max(matching, key=lambda pin: pin.rank(len(segments)), default=None)

    def _fixed(self, index: int, value: str, leading: int, pin: _Pin | None) -> Decision | None:
        """`_fixed_decision`, remembered: a new path mostly repeats known segments (its
        id is new, the words around it are not); decisions are immutable, so shared."""
        key = (index, value, index < leading, pin.text if pin is not None else None)
        if key in self._decided:
            return self._decided[key]
        return remember(self._decided, key, self._fixed_decision(index, value, leading, pin),
                        MAX_PLANS)

    def _fixed_decision(self, index: int, value: str, leading: int,
                        pin: _Pin | None) -> Decision | None:
        """The decision of rules 1-4 (see the module), which need no evidence; else None."""
        if index < leading:
            return Decision(index, value, "leading")
        if pin is not None and index < len(pin.segments):
            pinned_name = pin.names[index]
            return Decision(index, value, "pinned", pinned_name is not None,
                            pinned_name or "", pin=pin.text)
        if value in self._literals:
            return Decision(index, value, "pinned-literal")
        if value in self._profile.path_words:
            return Decision(index, value, "profile-word")
        shape = self._shape_of(value)
        if shape is not None:
            return Decision(index, value, "shape", True, shape=shape)
        return None

    def _shape_of(self, value: str) -> IdShape | None:
        """The profile's id shape of a segment value; words repeat, so remembered."""
        if value in self._shapes:
            return self._shapes[value]
        return remember(self._shapes, value, self._profile.id_shape(value), MAX_PLANS)

    def _by_evidence(self, node: Position | None, index: int, value: str, is_root: bool,
                     learn: bool) -> Decision:
        if node is not None and learn:
            node.remember(value)
            if not is_root and not node.promoted and len(node.distinct) >= self._threshold:
                promote(node, self._threshold)
        distinct = len(node.distinct) if node is not None else 0
        if is_root:
            rule = "resource-root"
        elif node is not None and node.promoted:
            rule = "evidence"
        else:
            rule = "ambiguous" if distinct >= 2 else "literal-word"
        return Decision(index, value, rule, is_param=rule == "evidence", distinct=distinct,
                        threshold=self._threshold)

    def tree_size(self) -> int:
        """Number of prefix-tree nodes (to show memory stays bounded)."""
        return tree_size(self._root)

    def merge(self, other: PathTemplater) -> None:
        """Fold another templater's path evidence (same config) into this one, as if this
        one had observed its paths too: how per-recorder summaries combine. `other` is
        consumed (its subtrees move here)."""
        roots = self._resource_roots()
        for node in merge_positions(self._root, other._root, self._threshold):
            # A resource root (the first segment after /api/v2...) is never a parameter.
            if id(node) not in roots:
                promote(node, self._threshold)
        self.observed += other.observed

    def _resource_roots(self) -> set[int]:
        """Positions right after leading segments (ids), where `_by_evidence` never promotes;
        merging never replaces existing positions, so these ids stay valid."""
        found, pending = set(), [(self._root, 0)]
        while pending:
            node, depth = pending.pop()
            found.add(id(node))
            for value, child in node.children.items():
                base = depth < len(self._base) and self._base[depth] == value
                if base or LEADING_WORD.fullmatch(value):
                    pending.append((child, depth + 1))
        return found


def name_params(decisions: list[Decision] | tuple[Decision, ...]) -> list[Decision]:
    """Name every parameter from the structure, unique within the template: pinned names
    stay; one parameter after a literal is `{singular}Id` (`users` -> `userId`); a run of
    several after a literal ends in the singular and starts with `owner` (`/repos/{owner}/
    {repo}`); otherwise `param1`, `param2`... Never from a value."""
    used: set[str] = set()
    named: list[Decision] = []
    fallback = 0
    for index, decision in enumerate(decisions):
        if not decision.is_param:
            named.append(decision)
            continue
        name = decision.name if decision.rule == "pinned" else ""
        if not name:
            name = _structural_name(decisions, index)
        if not name:
            fallback += 1
            name = f"param{fallback}"
        unique = unique_name(name, used)
        used.add(unique)
        named.append(decision if decision.name == unique else _named(decision, unique))
    return named


def _named(decision: Decision, name: str) -> Decision:
    # dataclasses.replace, spelled out: it runs for every new path with a parameter, and
    # replace's field-by-field introspection cost more than the rest of the naming
    return Decision(decision.index, decision.value, decision.rule, decision.is_param, name,
                    decision.shape, decision.distinct, decision.threshold, decision.pin,
                    decision.detail)


def _structural_name(decisions: list[Decision] | tuple[Decision, ...], index: int) -> str:
    start = index
    while start > 0 and decisions[start - 1].is_param:
        start -= 1
    end = index
    while end + 1 < len(decisions) and decisions[end + 1].is_param:
        end += 1
    parent = decisions[start - 1] if start > 0 else None
    if parent is None or parent.rule == "leading":
        return ""
    base = param_name_for(parent.value)
    if base is None:
        return ""
    if start == end or index == start and any(
            decisions[i].shape is not None for i in range(start, end + 1)):
        return base
    if any(decisions[i].shape is not None for i in range(start, end + 1)):
        return "id"  # `/classes/{classId}/{id}`: a word-named collection, then an item id
    return base[:-2] if index == end else "owner"
