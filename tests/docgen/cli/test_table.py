"""The endpoint table fits 100 columns whatever the operations and templates."""

from __future__ import annotations

from docgen.cli.table import cut_middle, render


def test_operations_wrap_under_the_row_and_nothing_passes_100_columns() -> None:
    operations = tuple(f"Operation{n:02d}WithALongName" for n in range(40))
    rows = [("POST", "/api/v2/me/calls/{callId}", "1234", "200,400,404", operations),
            ("GET", "/api/v2/" + "very/long/" * 20 + "{id}", "1", "200", ())]
    lines = render(rows)
    assert max(len(line) for line in lines) <= 100
    assert lines[1].split() == ["POST", "/api/v2/me/calls/{callId}", "1234", "200,400,404"]
    listed = " ".join(lines[2:-1]).replace("operations:", "").replace(",", " ").split()
    assert listed == list(operations)  # every operation, in order, none cut
    assert lines[-1].startswith("GET     /api/v2/very/") and lines[-1].split()[-3:] == [
        lines[-1].split()[1], "1", "200"] and lines[-1].split()[1].endswith("{id}")
    assert "…" in lines[-1]


def test_cut_middle_keeps_both_ends() -> None:
    assert cut_middle("abcdefghij", 5) == "ab…ij"
    assert cut_middle("short", 10) == "short"
