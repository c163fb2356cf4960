"""Provenance: plain labels only, counted per recorder, shown escaped on the home page."""

from __future__ import annotations

import pytest

from docgen.capture.provenance import check_label, default_host, default_recorder, label, stamp
from docgen.capture.synthetic import synthetic_traffic
from docgen.errors import WsdocError
from docgen.infer.builder import build_model
from docgen.publish.site.home import provenance_line


@pytest.mark.parametrize("bad", ["", "a b", "x" * 64, "alice:secret", "<script>", "-lead",
                                 "user@host", "a/b"])
def test_labels_outside_the_plain_alphabet_are_refused(bad: str) -> None:
    with pytest.raises(WsdocError, match="must be 1-63 letters"):
        check_label(bad, "--recorder")


def test_defaults_are_plain_labels() -> None:
    assert check_label(default_recorder(), "r") and check_label(default_host(), "h")


def test_model_counts_records_per_recorder_most_first() -> None:
    traffic = list(synthetic_traffic(30))
    stamped = [*stamp(traffic[:10], "ci-job", "runner-1"), *stamp(traffic[10:], "alice", "lap")]
    model = build_model(stamped)
    assert model.recorders == {"alice@lap": 20, "ci-job@runner-1": 10}
    assert label(traffic[0]) == "ci-job@runner-1"
    assert build_model(synthetic_traffic(5)).recorders == {}  # before provenance existed


def test_provenance_line_is_escaped_markdown() -> None:
    # Labels from a merged foreign SQLite file are not checked: the page escapes them.
    line = provenance_line({"<img src=x onerror=alert(1)>@h": 1, "bob@b": 2})
    assert "<img" not in line
    assert line.endswith("bob@b (2 exchanges)")
    assert "(1 exchange)" in line
