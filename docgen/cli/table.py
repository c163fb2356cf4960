"""The endpoint table of `wsdoc endpoints`, fitted to a terminal of 100 columns.

Operation-style endpoints can carry dozens of `operationName`s (a call has 18 in the Web
Services catalogue): as a column they made rows 300 columns wide. Each endpoint keeps one
row (method, template, samples, statuses), and its operations follow on their own lines,
wrapped under the template. A template too long for the line is cut in the middle with '…'
(its ends say the most: the prefix and the resource).
"""

from __future__ import annotations

WIDTH = 100
GAP = "  "
HEADER = ("METHOD", "TEMPLATE", "SAMPLES", "STATUSES")
OPERATIONS = "operations: "

Row = tuple[str, str, str, str, tuple[str, ...]]


def cut_middle(text: str, width: int) -> str:
    if len(text) <= width:
        return text
    keep = width - 1
    return text[: (keep + 1) // 2] + "…" + text[len(text) - keep // 2:]


def render(rows: list[Row], width: int = WIDTH) -> list[str]:
    """Lines of the table, none longer than `width`."""
    import textwrap  # here, not when any command starts

    cells = [HEADER, *(row[:4] for row in rows)]
    method_w, samples_w, status_w = (max(len(c[i]) for c in cells) for i in (0, 2, 3))
    status_w = min(status_w, width // 4)
    room = width - method_w - samples_w - status_w - 3 * len(GAP)
    template_w = min(max(len(c[1]) for c in cells), room)
    indent = " " * (method_w + len(GAP))

    def line(method: str, template: str, samples: str, statuses: str) -> str:
        return GAP.join([method.ljust(method_w), cut_middle(template, template_w).ljust(template_w),
                         samples.rjust(samples_w), cut_middle(statuses, status_w)]).rstrip()

    lines = [line(*HEADER)]
    for row in rows:
        lines.append(line(*row[:4]))
        if row[4]:
            lines += textwrap.wrap(", ".join(row[4]), width, initial_indent=indent + OPERATIONS,
                                   subsequent_indent=indent + " " * len(OPERATIONS),
                                   break_on_hyphens=False)
    return lines
