"""The inference commands end to end through click."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openapi_spec_validator import validate

from docgen.capture.store import Store
from docgen.capture.synthetic import synthetic_traffic
from docgen.cli import main
from tests.support.har import write_har


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def store(tmp_path: Path) -> str:
    path = tmp_path / "capture.sqlite"
    with Store(path) as opened:
        opened.append(list(synthetic_traffic(600)))
    return str(path)


def test_endpoints_table(store: str) -> None:
    result = run("endpoints", "--store", store)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["METHOD", "TEMPLATE", "SAMPLES", "STATUSES"]
    calls = next(i for i, line in enumerate(lines) if line.startswith("POST")
                 and "/calls/{callId}" in line)
    assert lines[calls + 1].split()[:3] == ["operations:", "Answer,", "AttachUserData,"]
    assert max(len(line) for line in lines) <= 100  # fits a terminal, however many operations
    assert lines[-1] == "11 endpoints from 600 exchanges"


def test_explain_path(store: str, tmp_path: Path) -> None:
    result = run("explain-path", "/api/v2/users/1e553fa1b4164908a5f36d43cec96086?fields=*",
                 "--store", store)
    assert result.exit_code == 0, result.output
    assert "-> /api/v2/users/{userId}" in result.output
    assert "id shape hex32" in result.output and "leading segment" in result.output
    assert "evidence: 600 recorded paths" in result.output
    config = tmp_path / "wsdoc.toml"
    config.write_text('templates = ["/api/v2/queues/{queueName}"]\n')
    pinned = run("explain-path", "http://h/api/v2/queues/Sales", "--store", store,
                 "--config", str(config))
    assert "-> /api/v2/queues/{queueName}" in pinned.output
    assert "pinned template /api/v2/queues/{queueName}" in pinned.output


def test_openapi_json_and_yaml(store: str, tmp_path: Path) -> None:
    out = tmp_path / "api.json"
    result = run("openapi", "--store", store, "-o", str(out))
    assert result.exit_code == 0, result.output
    validate(json.loads(out.read_text()))
    yaml_out = tmp_path / "api.yaml"
    assert run("openapi", "--store", store, "-o", str(yaml_out)).exit_code == 0
    assert yaml_out.read_text().startswith("openapi: 3.1.0")


def test_import_then_endpoints(tmp_path: Path) -> None:
    har = write_har(tmp_path / "session.har", list(synthetic_traffic(100)))
    store = str(tmp_path / "new.sqlite")
    result = run("import", str(har), "--store", store)
    assert result.exit_code == 0, result.output
    assert "imported 100 exchanges" in result.output and "(har)" in result.output
    assert "100 exchanges" in run("endpoints", "--store", store).output


@pytest.mark.parametrize("args, message", [
    (["openapi", "--store", "{store}", "-o", "api.txt"], "must end in .json, .yaml or .yml"),
    (["endpoints", "--store", "{tmp}/missing.sqlite"], "no store at"),
    (["import", "{tmp}/missing.har", "--store", "{tmp}/s.sqlite"], "no such file"),
    (["import", "{tmp}/garbage.bin", "--store", "{tmp}/s.sqlite"], "not a HAR 1.2 file"),
    (["explain-path", "api/v2/me"], "must start with '/'"),
    (["endpoints", "--store", "{store}", "--config", "{tmp}/bad.toml"], "unknown key"),
])
def test_bad_input_is_one_line(store: str, tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "garbage.bin").write_bytes(b"\x00garbage")
    (tmp_path / "bad.toml").write_text("nonsense = 1\n")
    filled = [a.format(store=store, tmp=tmp_path) for a in args]
    result = run(*filled)
    assert result.exit_code == 2
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
