"""`wsdoc diff`: verbatim changelogs from OpenAPI fixtures and from two tiny stores."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from docgen.capture.record import Exchange
from docgen.capture.synthetic import exchange
from docgen.cli import main
from docgen.drift.diff import changes_page, diff_sides, to_text
from docgen.drift.sides import load_side, side_of
from docgen.errors import WsdocError
from docgen.publish.site.pages import PAGE_HEADER
from tests.support.drift_stores import FIXTURES, write_store

CALL = "/api/v2/me/calls/0ABCDEFGHIJKLMNOPQRSTUVWXYZ12345"

FIXTURE_TEXT = """\
wsdoc diff: old.json (1.0.7) -> new.json (1.1.2)

~ GET /api/v2/me
  + query limit: integer
  + response 200 /user/contactCenterId: string, uuid, required
  ~ response 200 /user/email: format email -> none
  - response 200 /user/legacy: object
  ~ response 200 /user/level: type string -> integer
  ~ response 200 /user/nickname: now required
  ~ response 200 /user/state: enum values added: "AfterCallWork"

~ POST /api/v2/me/calls/{callId}
  - operation Hold
  + operation SetMuteOn
  + status 404
  + status 400 of Answer

+ GET /api/v2/new (endpoint added)

- GET /api/v2/old (endpoint removed)

1 endpoint added, 1 removed, 2 changed
"""

FIXTURE_MARKDOWN = """\
# Changes

From `old.json (1.0.7)` to `new.json (1.1.2)`: 1 endpoint added, 1 removed, 2 changed.

## Endpoints added

- `GET /api/v2/new`

## Endpoints removed

- `GET /api/v2/old`

## `GET /api/v2/me`

- **Added** query field `limit`: integer
- **Added** response 200 field `/user/contactCenterId`: string, uuid, required
- **Changed** response 200 field `/user/email`: format email \u2192 none
- **Removed** response 200 field `/user/legacy`: object
- **Changed** response 200 field `/user/level`: type string \u2192 integer
- **Changed** response 200 field `/user/nickname`: now required
- **Changed** response 200 field `/user/state`: `enum values added: "AfterCallWork"`

## `POST /api/v2/me/calls/{callId}`

- **Removed** operation `Hold`
- **Added** operation `SetMuteOn`
- **Added** status 404
- **Added** status 400 of operation `Answer`
"""

STORES_TEXT = """\
wsdoc diff: old.sqlite -> new.sqlite

~ GET /api/v2/me
  + response 200 /user/contactCenterId: string, uuid, required
  - response 200 /user/employeeId: string, required
  ~ response 200 /user/level: type string -> integer
  ~ response 200 /user/state: enum values added: "AfterCallWork"

~ POST /api/v2/me/calls/{callId}
  - operation Hold
  + operation SetMuteOn
  ~ request Answer /note: type string -> integer

+ GET /api/v2/new (endpoint added)

- GET /api/v2/old (endpoint removed)

1 endpoint added, 1 removed, 2 changed
"""


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def tiny_traffic(new: bool) -> list[Exchange]:
    """Six users (an enum needs five samples), two operations and one more endpoint."""
    exchanges = []
    for index in range(6):
        user = {"id": f"{index:032x}", "level": index if new else str(index),
                "state": ["Ready", "NotReady", "AfterCallWork" if new else "Ready"][index % 3]}
        if new:
            user["contactCenterId"] = "6f1c2a9e-1b2c-4d3e-8f40-5a6b7c8d9e0f"
        else:
            user["employeeId"] = f"E{index}"
        exchanges.append(exchange("GET", "/api/v2/me", {"statusCode": 0, "user": user}))
    for name in ["Answer", "SetMuteOn"] if new else ["Answer", "Hold"]:
        request = {"operationName": name, "note": 1 if new else "1"}
        exchanges.append(exchange("POST", CALL, {"statusCode": 0}, request=request))
    exchanges.append(exchange("GET", "/api/v2/new" if new else "/api/v2/old", {"statusCode": 0}))
    return exchanges


@pytest.fixture
def stores(tmp_path: Path) -> tuple[Path, Path]:
    return (write_store(tmp_path / "old.sqlite", tiny_traffic(False)),
            write_store(tmp_path / "new.sqlite", tiny_traffic(True)))


def test_fixture_changelog_verbatim() -> None:
    result = run("diff", str(FIXTURES / "old.json"), str(FIXTURES / "new.json"))
    assert result.exit_code == 0
    assert result.output == FIXTURE_TEXT


def test_fixture_changelog_markdown_verbatim() -> None:
    result = run("diff", str(FIXTURES / "old.json"), str(FIXTURES / "new.json"),
                 "--format", "markdown")
    assert result.exit_code == 0
    assert result.output == FIXTURE_MARKDOWN


def test_store_changelog_verbatim(stores: tuple[Path, Path]) -> None:
    result = run("diff", str(stores[0]), str(stores[1]))
    assert result.exit_code == 0
    assert result.output == STORES_TEXT


def test_the_reverse_swaps_added_and_removed() -> None:
    old, new = load_side(FIXTURES / "old.json"), load_side(FIXTURES / "new.json")
    forward = {(c.endpoint, c.subject, c.name, c.action) for c in diff_sides(old, new)
               if c.action != "changed"}
    swap = {"added": "removed", "removed": "added"}
    backward = {(c.endpoint, c.subject, c.name, swap[c.action])
                for c in diff_sides(new, old) if c.action != "changed"}
    assert forward == backward


def test_no_changes_and_mixed_sides(tmp_path: Path, stores: tuple[Path, Path]) -> None:
    same = run("diff", str(stores[1]), str(stores[1]))
    assert same.output == "wsdoc diff: new.sqlite -> new.sqlite\n\nno changes\n"
    contract = tmp_path / "new.yaml"  # the store's own contract, as YAML: nothing changed
    assert run("openapi", "--store", str(stores[1]), "-o", str(contract)).exit_code == 0
    mixed = run("diff", str(contract), str(stores[1]))
    assert mixed.exit_code == 0 and mixed.output.endswith("\n\nno changes\n")
    assert yaml.safe_load(contract.read_text())["openapi"] == "3.1.0"


def test_neither_store_nor_contract(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello\n")
    result = run("diff", str(tmp_path / "notes.txt"), str(FIXTURES / "new.json"))
    assert result.exit_code == 2
    assert result.output.startswith("wsdoc: error: ") and "not an OpenAPI document" in result.output
    with pytest.raises(WsdocError, match="no such file"):
        load_side(tmp_path / "missing.json")


def test_changes_page_against_this_build() -> None:
    document = json.loads((FIXTURES / "new.json").read_text())
    page = changes_page(FIXTURES / "old.json", document)
    assert page.startswith("# Changes\n\nFrom `old.json (1.0.7)` to "
                           "`this build (1.1.2)`: 1 endpoint added")
    assert page.split("\n\n", 2)[2] == FIXTURE_MARKDOWN.split("\n\n", 2)[2]


def test_output_is_deterministic() -> None:
    document = json.loads((FIXTURES / "new.json").read_text())
    shuffled = dict(reversed(list(document["paths"].items())))
    old = load_side(FIXTURES / "old.json")
    first = to_text(old, side_of("new.json", document), diff_sides(old, side_of("x", document)))
    again = to_text(old, side_of("new.json", {**document, "paths": shuffled}),
                    diff_sides(old, side_of("x", {**document, "paths": shuffled})))
    assert first == again


def test_build_adds_a_changes_page(tmp_path: Path, stores: tuple[Path, Path]) -> None:
    old, new = stores
    site = tmp_path / "site"
    built = run("build", "--store", str(new), "--out", str(site), "--changes-since", str(old))
    assert built.exit_code == 0, built.output
    page = (site / "docs" / "changes.md").read_text()
    assert page.startswith(PAGE_HEADER + "# Changes\n\nFrom `old.sqlite` to "
                           "`this build`: 1 endpoint added, 1 removed, 2 changed.\n")
    assert "- **Added** operation `SetMuteOn`\n" in page
    assert "- **Changed** response 200 field `/user/level`: type string \u2192 integer\n" in page
    html = (site / "public" / "changes.html").read_text()
    assert "<code>SetMuteOn</code>" in html
    assert "- changes.md" in (site / "mkdocs.yml").read_text()
    assert "Changes" in (site / "public" / "changes.html").read_text()
    rebuilt = run("build", "--store", str(new), "--out", str(site))
    assert rebuilt.exit_code == 0, rebuilt.output
    assert not (site / "docs" / "changes.md").exists()
    assert "changes.md" not in (site / "mkdocs.yml").read_text()
    bad = run("build", "--store", str(new), "--out", str(site), "--changes-since",
              str(tmp_path / "missing.json"))
    assert bad.exit_code == 2 and "no such file" in bad.output


def test_markdown_is_readable_raw_and_inert_rendered() -> None:
    import markdown

    from docgen.drift.diff import Change, to_markdown
    from docgen.drift.sides import Side

    hostile = "GET /api/<script>alert(1)</script>/`x`/{id}&amp;"
    changes = [Change(hostile, "endpoint", "added"),
               Change("GET /ok", "field", "added", name="user`s <b>", location="response 200",
                      detail="enum values added: \"<img src=x onerror=alert(1)>\"")]
    text = to_markdown(Side("old", "", {}), Side("new", "", {}), changes)
    assert "&#" not in text and "&lt;" not in text  # raw Markdown reads as written
    assert f"- ``{hostile}``" in text  # a fence longer than the backticks inside
    html = markdown.markdown(text)
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;/`x`/{id}&amp;amp;" in html
