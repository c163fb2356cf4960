"""Run every benchmark in turn and keep their JSON reports in bench/results/.

Each benchmark measures its own baseline in the same run (bare mitmdump, the peer tool,
mkdocs itself), so the ratios stay meaningful on any machine.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
BENCHES = [
    ("record", ["bench/bench_record.py"]),
    ("infer", ["bench/bench_infer.py"]),
    ("import", ["bench/bench_import.py"]),  # bench_m2s.py (build_model alone) runs by hand
    ("site", ["bench/bench_site.py"]),
    ("livecheck", ["bench/bench_livecheck.py"]),
    ("pg", ["bench/bench_pg.py"]),
]


def print_tables() -> None:
    """The two headline tables again, together, from the reports just written."""
    sys.path.insert(0, str(ROOT))
    from bench import bench_import, bench_record

    for title, name, render in (
            ("proxy throughput vs bare mitmdump", "record", bench_record.table),
            ("proxy CPU ms a request (proxy + its writer child)", "record",
             bench_record.cpu_table),
            ("flow file -> OpenAPI vs mitmproxy2swagger", "import", bench_import.table)):
        report = RESULTS / f"{name}.json"
        if report.exists():
            print(f"\n{title}\n{render(json.loads(report.read_text()))}")


def main() -> int:
    RESULTS.mkdir(parents=True, exist_ok=True)
    failed = []
    for name, command in BENCHES:
        print(f"== bench {name}", flush=True)
        done = subprocess.run([sys.executable, *command, "--json", str(RESULTS / f"{name}.json")],
                              cwd=ROOT, timeout=3600, check=False)
        if done.returncode != 0:
            failed.append(name)
    print_tables()
    print(f"reports in {RESULTS}" + (f"; failed: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
