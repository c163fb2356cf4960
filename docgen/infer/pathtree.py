"""The prefix tree behind path evidence: what follows each templated prefix.

Each `Position` remembers the distinct non-id values seen right after one prefix (at most
DISTINCT_CAP of them). When a position is promoted to a parameter, the subtrees of its
literal values are folded into its single parameter child, so the tree stays bounded by
the number of templates, not by the number of distinct ids or names recorded.
"""

from __future__ import annotations

DISTINCT_CAP = 1000  # distinct values remembered per position (explanations say "1000+")


class Position:
    """A node of the prefix tree: what was seen right after one templated prefix."""

    __slots__ = ("children", "param", "distinct", "promoted")

    def __init__(self) -> None:
        self.children: dict[str, Position] = {}
        self.param: Position | None = None
        self.distinct: set[str] = set()  # non-id candidate values seen here
        self.promoted = False

    def remember(self, value: str) -> None:
        if len(self.distinct) < DISTINCT_CAP:
            self.distinct.add(value)

    def child(self, value: str, is_param: bool, create: bool) -> Position | None:
        if is_param:
            if self.param is None and create:
                self.param = Position()
            return self.param
        found = self.children.get(value)
        if found is None and create:
            found = self.children[value] = Position()
        return found


def promote(node: Position, threshold: int) -> None:
    """Make `node` a parameter position: fold its candidate literal subtrees into one."""
    pending = [node]
    while pending:
        current = pending.pop()
        current.promoted = True
        for value in [v for v in current.children if v in current.distinct]:
            subtree = current.children.pop(value)
            if current.param is None:
                current.param = subtree
            else:
                pending.extend(merge_positions(current.param, subtree, threshold))


def merge_positions(target: Position, source: Position, threshold: int) -> list[Position]:
    """Fold `source` into `target` (iteratively); return nodes that now need promoting."""
    to_promote: list[Position] = []
    stack = [(target, source)]
    while stack:
        into, other = stack.pop()
        for value in other.distinct:
            into.remember(value)
        into.promoted = into.promoted or other.promoted
        for value, child in other.children.items():
            if value in into.children:
                stack.append((into.children[value], child))
            else:
                into.children[value] = child
        if other.param is not None:
            if into.param is None:
                into.param = other.param
            else:
                stack.append((into.param, other.param))
        if into.promoted or len(into.distinct) >= threshold:
            to_promote.append(into)
    return to_promote


def tree_size(root: Position) -> int:
    """Number of nodes under (and including) `root`."""
    count, stack = 0, [root]
    while stack:
        node = stack.pop()
        count += 1
        stack.extend(node.children.values())
        if node.param is not None:
            stack.append(node.param)
    return count
