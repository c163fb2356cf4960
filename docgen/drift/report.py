"""`wsdoc check` output: text for people, JSON for tools, JUnit XML for CI test reports."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict
from itertools import groupby
from pathlib import Path
from xml.etree import ElementTree

from docgen.drift.check import KINDS, CheckReport, Finding

FORMATS = ("text", "json", "junit")


def render(report: CheckReport, output_format: str) -> str:
    if output_format == "json":
        return to_json(report)
    if output_format == "junit":
        return to_junit(report)
    return to_text(report)


def _group(finding: Finding) -> str:
    return finding.endpoint + (f" {finding.operation}" if finding.operation else "")


def _line(finding: Finding) -> str:
    mark = "!" if finding.breaking else " "
    where = f"{finding.where}: " if finding.where else ""
    example = finding.example
    sample = f"#{example.exchange_id} {example.request}" if example.exchange_id else ""
    value = f", value {example.value}" if example.value and finding.kind != "new-field" else ""
    evidence = f"{finding.count}x" + (f"; e.g. {sample}{value}" if sample else "")
    return f"  {mark} {finding.kind:<19} {where}{'; '.join(finding.details)}  [{evidence}]"


def _against(report: CheckReport) -> str:
    """The contract's file name and size; a live check's label as it is."""
    if not report.contract_endpoints and report.contract.startswith("("):
        return report.contract
    return f"{Path(report.contract).name} ({len(report.contract_endpoints)} endpoints)"


def summary(report: CheckReport) -> str:
    breaking = len(report.breaking)
    if not report.findings:
        if not report.contract_endpoints and report.contract.startswith("("):
            return f"no drift: {report.exchanges} exchanges, no violations {report.contract[1:-1]}"
        return (f"no drift: {report.exchanges} exchanges match the contract "
                f"({len(report.contract_endpoints)} endpoints)")
    kinds = ", ".join(k for k in KINDS if k in report.fail_on) or "nothing"
    verdict = f"{breaking} breaking" if breaking else "none breaking"
    return (f"drift: {len(report.findings)} findings, {verdict} "
            f"(breaking kinds: {kinds})")


def to_text(report: CheckReport) -> str:
    lines = [f"wsdoc check: {report.exchanges} exchanges in {Path(report.store).name} "
             f"against {_against(report)}"]
    for group, findings in groupby(report.findings, key=_group):
        lines += ["", group, *(_line(f) for f in findings)]
    if report.unanswered:  # recorded with their error: a check can't judge a missing answer
        lines += ["", f"{report.unanswered} exchanges got no answer from the server "
                      "(its error is recorded); their requests were checked, no response"]
    lines += ["", summary(report)]
    return "\n".join(lines) + "\n"


def to_json(report: CheckReport) -> str:
    data = {
        "contract": report.contract,
        "store": report.store,
        "exchanges": report.exchanges,
        "unanswered": report.unanswered,
        "fail_on": [kind for kind in KINDS if kind in report.fail_on],
        "breaking": len(report.breaking),
        "findings": [asdict(finding) for finding in report.findings],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _cases(report: CheckReport) -> Iterator[tuple[str, list[Finding]]]:
    """One test case per contract endpoint and per endpoint/operation with findings."""
    grouped = {name: list(items) for name, items in groupby(report.findings, key=_group)}
    names = dict.fromkeys([*report.contract_endpoints, *grouped])
    for name in sorted(names):
        yield name, grouped.get(name, [])


def to_junit(report: CheckReport) -> str:
    cases = list(_cases(report))
    failed = sum(1 for _, findings in cases if any(f.breaking for f in findings))
    suites = ElementTree.Element("testsuites")
    suite = ElementTree.SubElement(suites, "testsuite", name="wsdoc check",
                                   tests=str(len(cases)), failures=str(failed), errors="0")
    for name, findings in cases:
        case = ElementTree.SubElement(suite, "testcase", classname="wsdoc.check", name=name)
        breaking = [f for f in findings if f.breaking]
        if breaking:
            failure = ElementTree.SubElement(
                case, "failure", type=breaking[0].kind,
                message=f"{len(breaking)} breaking: " + ", ".join(
                    dict.fromkeys(f.kind for f in breaking)))
            failure.text = "\n".join(_line(f).strip() for f in breaking)
        others = [f for f in findings if not f.breaking]
        if others:
            ElementTree.SubElement(case, "system-out").text = "\n".join(
                _line(f).strip() for f in others)
    ElementTree.indent(suites)
    body = ElementTree.tostring(suites, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'
