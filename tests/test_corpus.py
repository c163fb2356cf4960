"""Real captures nobody here wrote (tests/corpus/, sources in SOURCES.md) as the judge:
endpoint templates against hand-written truth, redaction against hand-labelled names,
security schemes and enums as the traffic shows them.

Every capture goes the way a user's HAR goes: read by the importer, redacted, then inferred
with the generic profile.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bench.corpus_score import CORPUS, captures, host_of, normalise, read_truth, score
from docgen.capture.importer import read_har
from docgen.capture.redact import MASK, Redactor
from docgen.infer.builder import build_model
from docgen.infer.config import Config
from docgen.infer.model import ApiModel

NAMES = json.loads((CORPUS / "names.json").read_text(encoding="utf-8"))
NAME_VALUES = json.loads((CORPUS / "names_values.json").read_text(encoding="utf-8"))
CANARY = "Cnry7Qx2LmP9vZ04"
WSDOC = str(Path(sys.executable).parent / "wsdoc")


def model_of(har: Path) -> ApiModel:
    redactor = Redactor()
    return build_model([redactor.redact(ex) for ex in read_har(har)],
                       Config(profile_name="generic"))


def test_the_corpus_is_there() -> None:
    """At least 8 captures of at least 5 APIs, each with a truth file."""
    assert len(captures()) >= 8
    assert len({har.name.split("-")[0] for har in captures()}) >= 5


@pytest.mark.parametrize("har", captures(), ids=lambda p: p.stem)
def test_templates_match_the_truth(har: Path) -> None:
    """Precision and recall 1.0 (modulo parameter names), and no literal id left."""
    model = model_of(har)
    found = {(e.method, host_of(e.host), normalise(e.template)) for e in model.endpoints}
    result = score(read_truth(har), found)
    assert (result.wrong, result.missing) == ([], []), result
    assert result.precision == result.recall == 1.0
    assert result.literal_ids == []


def test_two_hosts_are_two_sets_of_endpoints() -> None:
    model = model_of(CORPUS / "github-package-probe.har")
    assert model.hosts == ["https://api.github.com", "https://raw.githubusercontent.com"]
    assert all(endpoint.host for endpoint in model.endpoints)


def test_parameter_names_come_from_the_structure() -> None:
    templates = {e.template for e in model_of(CORPUS / "github-actions-secrets.har").endpoints}
    assert "/repos/{owner}/{repo}/actions/secrets" in templates
    assert not any("j1" in template or "ingest" in template for template in templates)


def test_explain_path_names_the_structural_evidence(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite"
    har = CORPUS / "okta-user-factors-404.har"
    subprocess.run([WSDOC, "import", str(har), "--store", str(store)], check=True,
                   capture_output=True, timeout=60)
    done = subprocess.run([WSDOC, "explain-path", "/api/v1/users/thisisafakekey/factors",
                           "--store", str(store)], capture_output=True, text=True,
                          timeout=60, check=True, cwd=tmp_path)
    assert "-> /api/v1/users/{userId}/factors" in done.stdout
    assert "structure: its response quotes it" in done.stdout


@pytest.mark.parametrize("name", NAMES["not_secret"])
def test_labelled_non_secret_names_are_never_masked(name: str) -> None:
    redactor = Redactor()
    assert not redactor.is_secret_name(name)
    document = {name: {"id": "plain-value-1", "n": 1}, "nested": [{name: 12}, {name: True}]}
    assert redactor.json_value(document) == (document, False)
    assert redactor.pairs([(name, "plain-value-1")]) == [(name, "plain-value-1")]
    assert redactor.headers([(name, "plain-value-1")]) == [(name, "plain-value-1")]
    # A bare string right under a plural (`"secrets": "..."`) is masked unless it is a
    # short word: a list of secrets may be just that (not a name rule: a value rule).


@pytest.mark.parametrize("pair", NAME_VALUES, ids=lambda p: p["name"])
def test_real_values_under_secret_like_names_are_kept(pair: dict[str, Any]) -> None:
    redactor = Redactor()
    document = {pair["name"]: pair["value"]}
    redacted, _ = redactor.json_value(document)
    assert redacted == {pair["name"]: pair["value"]}


@pytest.mark.parametrize("name", NAMES["secret"])
def test_labelled_secret_names_are_always_masked(name: str) -> None:
    redactor = Redactor()
    assert redactor.is_secret_name(name)
    redacted, _ = redactor.json_value({"outer": {name: CANARY}, name: [CANARY]})
    assert redacted == {"outer": {name: MASK}, name: [MASK]}
    assert redactor.pairs([(name, CANARY)]) == [(name, MASK)]
    assert CANARY not in str(redactor.headers([(name, CANARY)]))


@pytest.mark.parametrize("har", captures(), ids=lambda p: p.stem)
def test_no_single_value_or_empty_enums(har: Path) -> None:
    enums: list[list[Any]] = []
    for endpoint in model_of(har).endpoints:
        for operation in endpoint.operations:
            bodies = [operation.request, *(r.body for r in operation.responses.values())]
            for body in bodies:
                if body is not None and body.schema is not None:
                    _collect_enums(body.schema, enums)
    assert [values for values in enums if len([v for v in values if v is not None]) < 2] == []


def _collect_enums(schema: Any, found: list[list[Any]]) -> None:
    if isinstance(schema, dict):
        if isinstance(schema.get("enum"), list):
            found.append(schema["enum"])
        for value in schema.values():
            _collect_enums(value, found)
    elif isinstance(schema, list):
        for value in schema:
            _collect_enums(value, found)


@pytest.mark.parametrize("capture, schemes", [
    ("gitlab-mr-approvals", {"header:private-token"}),
    ("jira-cloud-projects", {"http:bearer"}),
    ("github-package-probe", {"header:authorization"}),  # `authorization: token ...`
    ("jsonplaceholder-pollyjs", set()),
    ("difm-currently-playing", set()),
])
def test_security_schemes_are_what_requests_carried(capture: str, schemes: set[str]) -> None:
    model = model_of(CORPUS / f"{capture}.har")
    assert {scheme.key for scheme in model.security_schemes} == schemes


def test_site_of_a_two_host_capture(tmp_path: Path) -> None:
    """`wsdoc import` + `wsdoc build` (real mkdocs --strict): a section per host, pages
    that say their host, curl on the recorded host, OpenAPI servers per path."""
    store, site = tmp_path / "s.sqlite", tmp_path / "site"
    subprocess.run([WSDOC, "import", str(CORPUS / "github-package-probe.har"), "--store",
                    str(store)], check=True, capture_output=True, timeout=60)
    subprocess.run([WSDOC, "build", "--store", str(store), "--out", str(site)], check=True,
                   capture_output=True, timeout=300, cwd=tmp_path)
    home = (site / "docs" / "index.md").read_text(encoding="utf-8")
    assert "### https://api.github.com" in home
    assert "### https://raw.githubusercontent.com" in home
    pages = {p.read_text(encoding="utf-8") for p in (site / "docs").glob("*/get-*.md")}
    assert len(pages) == 3
    assert all("Served by <code>https://" in page for page in pages)
    assert any("https://api.github.com/repos/ryanoglesby08/" in page for page in pages)
    assert not any("localhost" in page for page in pages)
    openapi = json.loads((site / "docs" / "openapi.json").read_text(encoding="utf-8"))
    assert openapi["paths"]["/repos/{owner}/{repo}"]["servers"] == [
        {"url": "https://api.github.com"}]
    assert (site / "public" / "index.html").is_file()
