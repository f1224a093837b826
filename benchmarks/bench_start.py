"""Start of `gvcommand --demo` to the first painted map (a seeded demo database, offscreen).

Each start is a new process, timed from spawning it to the console's "first map paint" log
line, so Python's start, the imports, opening the database, the demo login and building the
window all count. The line names what the map held when it was painted; a paint of an empty
map (no wards or no incidents) is refused, not timed.

The goal concerns a normal start on a demo database that exists already: the first start
ever, which generates a year of demo data, is reported on its own line and not counted.
Bytecode is cached as for an installed program (``PYTHONDONTWRITEBYTECODE`` is dropped, the
caches go to the benchmark's own folder), and the first start fills those caches;
``--no-bytecode-cache`` starts as from a source tree that writes none (~0.1–0.2 s more).
Besides wall time, the CPU time the process used until the paint is reported: on a busy
machine it is much steadier than wall time, and on an idle one wall time comes close to it.

``python -m benchmarks.bench_start --against DIR`` also times another checkout (e.g. the code
before a change, from ``git archive``), alternating the two run by run so that both see the
same load; each has a demo database of its own, made by its own code (same generator and
seed). ``--keep DIR`` keeps the databases for the next run.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ._common import at_most, line, pct, report

RUNS = 10
_PAINT = re.compile(r"first map paint(?:: (?P<wards>\d+) wards, (?P<incidents>\d+) incidents)?")


BYTECODE_CACHE = True


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", GVCOMMAND_CONSOLE="BENCH")
    if BYTECODE_CACHE:
        env["PYTHONPYCACHEPREFIX"] = str(home / "pycache")
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    else:  # a source tree where no bytecode is written: gvcommand compiles at every start
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    for var in ("XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        env[var] = str(home / var.lower())
    return env


def _cpu_s(pid: int) -> float:
    """CPU time (user + system, all threads) a process has used so far; NaN off Linux."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def one_start(url: str, env: dict[str, str], code: Path | None = None) -> tuple[float, float]:
    """Seconds from spawning ``gvcommand --demo`` to its first painted map, and the CPU
    seconds the process used until then (steadier than wall time on a busy machine).

    ``code``: a checkout to run instead of the installed package (its folder goes first on
    the module path, as the current directory of ``python -m``).
    """
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "gvcommand.app", "--demo", "--db", url,
                             "--quit-after", "20"], env=env, cwd=code,
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    assert proc.stderr is not None
    elapsed = cpu = float("nan")
    tail: list[str] = []
    for text in proc.stderr:
        tail = [*tail[-20:], text]
        found = _PAINT.search(text)
        if found:
            elapsed = time.perf_counter() - t0
            cpu = _cpu_s(proc.pid)
            if found["wards"] is not None and not (int(found["wards"]) and
                                                   int(found["incidents"])):
                proc.kill()
                raise RuntimeError(f"the first paint showed an empty map: {text.strip()}")
            break
    proc.terminate()
    proc.wait(30)
    if elapsed != elapsed:  # NaN: the window never painted
        raise RuntimeError("no first map paint:\n" + "".join(tail))
    return elapsed, cpu


def _first_start(url: str, env: dict[str, str], days: int, code: Path | None = None) -> float:
    t0 = time.perf_counter()
    first = subprocess.run([sys.executable, "-m", "gvcommand.app", "--demo", "--db", url,
                            "--demo-days", str(days), "--quit-after", "1"], env=env, cwd=code,
                           capture_output=True, text=True, check=False)
    if first.returncode != 0:
        raise RuntimeError(first.stderr[-2000:])
    return time.perf_counter() - t0


def _summary(starts: list[tuple[float, float]]) -> str:
    times = [wall for wall, _cpu in starts]
    cpu = [c for _wall, c in starts]
    return (f"p50 {statistics.median(times):.2f} s, p95 {pct(times, 95):.2f} s, "
            f"min {min(times):.2f} s, max {max(times):.2f} s; "
            f"CPU used p50 {statistics.median(cpu):.2f} s")


def _prepare(home: Path, days: int, code: Path | None, label: str) -> tuple[str, dict[str, str]]:
    home.mkdir(parents=True, exist_ok=True)
    url, env = f"sqlite:///{home}/demo.sqlite", _env(home)
    if (home / "demo.sqlite").exists():
        line(f"{label}: demo database kept from an earlier run", str(home))
    else:
        report(f"{label}: first start ever, generating the demo data (not counted)",
               _first_start(url, env, days, code), "s")
    return url, env


def run(days: int = 365, runs: int = RUNS, against: Path | None = None,
        keep: Path | None = None) -> None:
    print(f"\n== Start of gvcommand --demo to the first painted map ({days} days of demo data) ==")
    home = keep if keep is not None else Path(tempfile.mkdtemp(prefix="gvbench_start_"))
    try:
        url, env = _prepare(home / "this", days, None, "this code")
        other_url, other_env = "", env
        if against is not None:
            # a database of its own, made by its own code (the schemas may differ)
            other_url, other_env = _prepare(home / "against", days, against, "other code")
        times: list[tuple[float, float]] = []
        other: list[tuple[float, float]] = []
        for _ in range(runs):
            times.append(one_start(url, env))
            if against is not None:
                other.append(one_start(other_url, other_env, against))
        report(f"later starts on the existing demo database ({runs} runs), p50",
               statistics.median(wall for wall, _cpu in times), "s",
               at_most(2.0, "p50 ≤ 2 s"), text=_summary(times))
        if against is not None:
            report(f"the same, code in {against} (alternating runs), p50",
                   statistics.median(wall for wall, _cpu in other), "s", text=_summary(other))
    finally:
        if keep is None:
            shutil.rmtree(home, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_start", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--against", type=Path, metavar="DIR",
                        help="another checkout to time alternately (its gvcommand/ is used)")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="keep the demo databases in DIR and reuse them next time")
    parser.add_argument("--no-bytecode-cache", action="store_true",
                        help="start as from a source tree with PYTHONDONTWRITEBYTECODE=1")
    args = parser.parse_args()
    global BYTECODE_CACHE
    BYTECODE_CACHE = not args.no_bytecode_cache
    run(args.days, args.runs, args.against.resolve() if args.against else None,
        args.keep.resolve() if args.keep else None)


if __name__ == "__main__":
    main()
