"""Description sidecars: Markdown files the user writes, read into the model on every build.

`<site>/descriptions/<stem>.md` describes one endpoint (`stem` is its page's file stem),
`<site>/descriptions/<stem>--<operation slug>.md` one operation, and
`<site>/descriptions/index.md` the whole API (home page). wsdoc creates a stub for every
endpoint and for the API when none exists and never overwrites or deletes one, so user
text survives rebuilds and endpoints that were not recorded this time. The stub is one
HTML comment naming the endpoint; it is dropped when read, so a stub means "no description".
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from docgen.infer.model import ApiModel
from docgen.publish import markdown as md
from docgen.publish.site.names import short_hash, slug
from docgen.publish.site.pages import HOME_SIDECAR, SIDECAR_DIR, PagePlan, sidecar_path

STUB_MARK = "<!-- wsdoc:"
MAX_SIDECAR_BYTES = 1_000_000


def stub_text(what: str) -> str:
    # plain_title drops '<', '>' and '-' runs stay harmless: the comment cannot be closed early.
    label = md.plain_title(what).replace("--", "- -")
    return (f"{STUB_MARK} describe {label} here in Markdown; this file is kept across "
            "builds -->\n")


def operation_sidecar(stem: str, operation: str) -> str:
    name = f"{stem}--{slug(operation, 40) or 'op'}-{short_hash(operation, length=6)}"
    return f"{SIDECAR_DIR}/{name}.md"


def read_sidecar(path: Path) -> str:
    """The user's text without wsdoc's stub comment ('' when missing or only a stub)."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_SIDECAR_BYTES)
    except FileNotFoundError:
        return ""
    text = raw.decode("utf-8", errors="replace")
    lines = [line for line in text.splitlines() if not line.startswith(STUB_MARK)]
    return "\n".join(lines).strip()


def ensure_stub(path: Path, what: str) -> bool:
    """Create a stub sidecar unless one exists (never overwrite); True when created."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(stub_text(what))
    except FileExistsError:
        return False
    return True


def apply_sidecars(site: Path, model: ApiModel, plans: Sequence[PagePlan]) -> int:
    """Read every sidecar into the model, creating missing stubs; returns stubs created."""
    created = int(ensure_stub(site / HOME_SIDECAR, "the API (home page)"))
    model.description = read_sidecar(site / HOME_SIDECAR) or model.description
    for plan in plans:
        ep = plan.endpoint
        path = site / sidecar_path(plan.stem)
        created += ensure_stub(path, f"{ep.method} {ep.template}")
        ep.description = read_sidecar(path) or ep.description
        for op in ep.operations:
            if op.name is not None:
                op_text = read_sidecar(site / operation_sidecar(plan.stem, op.name))
                op.description = op_text or op.description
    return created
