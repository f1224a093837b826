"""Start of `gvcommand --demo` to the first painted map (a seeded demo database, offscreen).

Measured from spawning the process to the console's "first map paint" log line, so Python's
start, the imports, opening the database, the demo login and building the window all count.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ._common import line, pct

RUNS = 5


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", GVCOMMAND_CONSOLE="BENCH")
    for var in ("XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        env[var] = str(home / var.lower())
    return env


def one_start(url: str, env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "gvcommand.app", "--demo", "--db", url,
                             "--quit-after", "20"], env=env, stderr=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, text=True)
    assert proc.stderr is not None
    elapsed = float("nan")
    for text in proc.stderr:
        if "first map paint" in text:
            elapsed = time.perf_counter() - t0
            break
    proc.terminate()
    proc.wait(30)
    return elapsed


def run(days: int = 365) -> None:
    print(f"\n== Start of gvcommand --demo to the first painted map ({days} days of demo data) ==")
    home = Path(tempfile.mkdtemp(prefix="gvbench_start_"))
    url = f"sqlite:///{home}/demo.sqlite"
    env = _env(home)
    # the first start generates the demo data (reported, not counted)
    t0 = time.perf_counter()
    first = subprocess.run([sys.executable, "-m", "gvcommand.app", "--demo", "--db", url,
                            "--demo-days", str(days), "--quit-after", "1"], env=env,
                           capture_output=True, text=True, check=False)
    if first.returncode != 0:
        raise RuntimeError(first.stderr[-2000:])
    line("first start: generate the demo data, then open", f"{time.perf_counter() - t0:.1f} s")
    times = [one_start(url, env) for _ in range(RUNS)]
    line(f"later starts to the first painted map ({RUNS} runs)",
         f"p50 {statistics.median(times):.2f} s, max {max(times):.2f} s "
         f"(p95 {pct(times, 95):.2f} s)", "≤ 2 s")


if __name__ == "__main__":
    run()
