"""Run every benchmark in turn and keep their JSON reports in bench/results/.

Each benchmark measures its own baseline in the same run (bare mitmdump, the peer tool,
mkdocs itself), so the ratios stay meaningful on any machine.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
BENCHES = [
    ("record", ["bench/bench_record.py"]),
    ("infer", ["bench/bench_infer.py"]),
    ("m2s", ["bench/bench_m2s.py"]),
    ("site", ["bench/bench_site.py"]),
    ("livecheck", ["bench/bench_livecheck.py"]),
]


def main() -> int:
    RESULTS.mkdir(parents=True, exist_ok=True)
    failed = []
    for name, command in BENCHES:
        print(f"== bench {name}", flush=True)
        done = subprocess.run([sys.executable, *command, "--json", str(RESULTS / f"{name}.json")],
                              cwd=ROOT, timeout=3600, check=False)
        if done.returncode != 0:
            failed.append(name)
    print(f"reports in {RESULTS}" + (f"; failed: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
