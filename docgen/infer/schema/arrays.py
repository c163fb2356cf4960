"""Arrays: every item folded into one item schema, mergeable across builders."""

from __future__ import annotations

from typing import Any

from genson.schema.strategies import List

from docgen.infer.schema import genson_api
from docgen.infer.schema.genson_api import merge_nodes


class EvidenceList(List):
    """Arrays: all items merged into one item schema (genson's list strategy)."""

    def merge(self, other: EvidenceList) -> None:
        merge_nodes(genson_api.items(self), genson_api.items(other))

    def to_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "array"}
        item = genson_api.items(self)
        if len(item):
            schema["items"] = item.to_schema()
        return schema
