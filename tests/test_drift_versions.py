"""Drift end to end: the same real curl session through the real recorder against gwssim
8.5.201 and 8.5.202 (twice). `wsdoc check` and `wsdoc diff` must name exactly the changes
listed in gwssim/versions.py, and a re-run of the same version must show no drift.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from docgen.cli import main
from docgen.cli.processes import run_proxy
from gwssim.process import ROOT, run_gwssim
from gwssim.versions import CHANGES_IN_202, MUTE_OPERATIONS, Change

# Which drift kinds can show each kind of change in versions.py.
CHECK_KINDS = {
    "added-field": {"new-field"},
    "removed-field": {"removed-field"},
    "changed-type": {"type-changed"},
    "added-operation": {"unknown-operation", "new-status"},
    "added-enum-value": {"new-enum-value"},
}




def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def record(version: str, store: Path) -> Path:
    with run_gwssim("--api-version", version, "--event-delay", "0") as upstream, \
            run_proxy(upstream, store) as proxy:
        session = subprocess.run(["bash", str(ROOT / "gwssim" / "curl_session.sh"), proxy.url],
                                 capture_output=True, text=True, timeout=240, check=False)
        assert session.returncode == 0, session.stderr[-2000:]
        assert "curl_session: done: 5 users" in session.stdout
    return store


@pytest.fixture(scope="module")
def recordings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    folder = tmp_path_factory.mktemp("drift")
    stores = {name: record(version, folder / f"{name}.sqlite") for name, version in
              [("201", "8.5.201"), ("202", "8.5.202"), ("202-again", "8.5.202")]}
    for name in ("201", "202"):
        contract = folder / f"{name}.json"
        result = run("openapi", "--store", str(stores[name]), "-o", str(contract))
        assert result.exit_code == 0, result.output
        stores[f"{name}.json"] = contract
    yield stores


def check_change(finding: dict[str, str]) -> Change | None:
    """The change in versions.py a `wsdoc check` finding shows, if any."""
    for change in CHANGES_IN_202:
        if finding["kind"] not in CHECK_KINDS[change.kind]:
            continue
        if change.kind == "added-operation":
            if finding["endpoint"].endswith(" " + change.target) and \
                    finding["operation"] in change.member.split(","):
                return change
        elif finding["field"].rsplit("/", 1)[-1] == change.member and (
                change.kind != "added-enum-value" or "Consult" in " ".join(finding["details"])):
            return change
    return None


def checked(recordings: dict[str, Path]) -> tuple[Result, list[dict[str, str]]]:
    args = ["check", "--against", str(recordings["201.json"]), "--store", str(recordings["202"])]
    text = run(*args)
    findings = json.loads(run(*args, "--format", "json").output)["findings"]
    return text, findings


def test_check_names_the_listed_differences_and_nothing_else(
        recordings: dict[str, Path]) -> None:
    text, findings = checked(recordings)
    print(text.output)
    assert text.exit_code == 1
    unexplained = [f for f in findings if check_change(f) is None]
    assert unexplained == []
    named = {change.name for f in findings if (change := check_change(f))}
    listed = {change.name for change in CHANGES_IN_202}
    assert named == listed
    for finding in findings:
        assert finding["example"]["exchange_id"] and finding["count"] >= 1


def test_check_names_the_mute_operations(recordings: dict[str, Path]) -> None:
    _, findings = checked(recordings)
    mute = [f for f in findings if check_change(f) and check_change(f).name == MUTE_OPERATIONS]
    assert [(f["kind"], f["operation"], f["location"]) for f in mute] == \
        [("new-status", "SetMuteOn", "response 200")]


def test_an_unchanged_rerun_shows_no_drift(recordings: dict[str, Path]) -> None:
    result = run("check", "--against", str(recordings["202.json"]),
                 "--store", str(recordings["202-again"]))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].startswith("no drift: 212 exchanges match")
    same = run("diff", str(recordings["202"]), str(recordings["202-again"]))
    assert same.output.endswith("\n\nno changes\n")


def diff_change(line: str) -> str | None:
    """The change in versions.py a `wsdoc diff` line shows, if any."""
    member = line.split(":")[0].rsplit("/", 1)[-1].split()[-1]
    for change in CHANGES_IN_202:
        if change.kind == "added-operation":  # a new operation, or statuses of one
            for name in change.member.split(","):
                if line == f"  + operation {name}" or line.endswith(f" of {name}"):
                    return change.name
            continue
        sign = {"added-field": "  +", "removed-field": "  -"}.get(change.kind, "  ~")
        what = {"changed-type": "type string -> integer",
                "added-enum-value": 'enum values added: "Consult"'}.get(change.kind, "")
        if line.startswith(sign) and member == change.member and what in line:
            return change.name
    return None


def test_diff_names_the_same_differences(recordings: dict[str, Path]) -> None:
    result = run("diff", str(recordings["201"]), str(recordings["202"]))
    print(result.output)
    lines = [line for line in result.output.splitlines() if line.startswith("  ")]
    assert [line for line in lines if diff_change(line) is None] == []
    named = {diff_change(line) for line in lines}
    listed = {change.name for change in CHANGES_IN_202}
    assert named == listed
