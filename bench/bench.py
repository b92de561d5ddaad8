"""Time to verdict, measured in one sitting and printed as ratios (never as a
test: no test asserts a time). For each adapter: its wall time against its
limit (the longest case's mandated waits plus one process start, taken as
its quickest case) and against its CPU floor (the CPU its processes used,
spread over the cores); all adapters in one invocation against the slowest
alone; the mutation gate against its floor; --repeat 100 of asio against its
CPU floor; and the report views' cost per case at 1000 and 5000 generated
results (linear when the 5000-case time is about 5x the 1000-case one).

usage: python3 bench/bench.py [--build-dir DIR] [--rounds N] [--skip-gate] [--skip-repeat]"""

import argparse
import copy
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "harness" / "python"))

from conformance.files import read_json  # noqa: E402

ADAPTERS = ["asio", "posix", "dotnet", "mono"]
def longest_mandated_wait_ms(build_dir: Path) -> float:
    """The longest of the cases' mandated waits (the holds a correct
    implementation makes the harness wait for), as the runner computes them."""
    listing = subprocess.run([str(build_dir / "endaccept-conformance"), "--root", str(ROOT), "--spec",
                              str(ROOT / "spec" / "clauses.json"), "--cases", str(ROOT / "cases"), "--list"],
                             capture_output=True, text=True, check=True).stdout
    return max(case["mandated_wait_ms"] for case in json.loads(listing))


def timed(command, env=None):
    """Wall seconds and the CPU seconds of everything it started."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    completed = subprocess.run([str(c) for c in command], capture_output=True, text=True, cwd=ROOT,
                               env={**os.environ, **(env or {})})
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if completed.returncode not in (0, 1):
        sys.stderr.write(completed.stderr[-3000:])
        raise SystemExit(f"failed ({completed.returncode}): {' '.join(map(str, command))}")
    return wall, cpu


def drive(build_dir, report_dir, *args, env=None):
    return timed([sys.executable, ROOT / "run_conformance.py", "--no-build", "--build-dir", build_dir,
                  "--report-dir", report_dir, *args], env=env)


def median_run(rounds, function):
    runs = [function(i) for i in range(rounds)]
    return statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)


def synthetic_report(template: dict, count: int) -> dict:
    """`count` results cloned from a real report's, with ids made unique."""
    report = copy.deepcopy(template)
    originals = template["results"]
    report["results"] = []
    for i in range(count):
        result = copy.deepcopy(originals[i % len(originals)])
        family, name = result["case_id"].split("/", 1)
        result["case_id"] = f"{family}/{name}-{i:05d}"
        report["results"].append(result)
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", type=Path, default=ROOT / "build")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip-gate", action="store_true")
    parser.add_argument("--skip-repeat", action="store_true")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    scratch = Path(tempfile.mkdtemp(prefix="endaccept-bench-"))
    rows = []
    longest_wait = longest_mandated_wait_ms(args.build_dir) / 1000.0
    alone = {}
    for adapter in ADAPTERS:
        wall, cpu = median_run(args.rounds, lambda i: drive(args.build_dir, scratch / f"{adapter}-{i}", "--adapter", adapter))
        report = read_json(scratch / f"{adapter}-0" / f"{adapter}.json")
        start = min(r["duration_ms"] for r in report["results"]) / 1000.0
        longest_case = max(r["duration_ms"] for r in report["results"]) / 1000.0
        limit = longest_wait + start
        alone[adapter] = wall
        rows.append((f"{adapter}: time to verdict", wall, f"{wall / limit:.2f}x its limit ({limit:.2f} s), "
                     f"{wall / (cpu / cores):.2f}x its CPU floor ({cpu / cores:.2f} s), "
                     f"{wall / longest_case:.2f}x its longest case ({longest_case:.2f} s)"))
    wall, cpu = median_run(args.rounds, lambda i: drive(args.build_dir, scratch / f"all-{i}", "--adapter", ",".join(ADAPTERS)))
    slowest = max(alone.values())
    rows.append(("all four in one invocation", wall, f"{wall / slowest:.2f}x the slowest alone ({slowest:.2f} s), "
                 f"{wall / (cpu / cores):.2f}x its CPU floor"))
    if not args.skip_repeat:
        wall, cpu = drive(args.build_dir, scratch / "repeat", "--adapter", "asio", "--repeat", "100")
        rows.append(("asio --repeat 100", wall, f"{wall / (cpu / cores):.2f}x its CPU floor ({cpu / cores:.1f} s); "
                     f"{wall / (100 * alone['asio']):.3f}x 100 single runs"))
    if not args.skip_gate:
        wall, cpu = drive(args.build_dir, scratch / "gate", "--mutants")
        longest = max(r["duration_ms"] for f in (scratch / "gate" / "mutants").glob("*/*.json")
                      for r in read_json(f)["results"]) / 1000.0
        floor = max(longest, cpu / cores)
        rows.append(("mutation gate", wall, f"{wall / floor:.2f}x its floor ({floor:.1f} s: longest case "
                     f"{longest:.1f} s, CPU {cpu / cores:.1f} s per core)"))
    template = read_json(scratch / "asio-0" / "asio.json")
    view_times = {}
    for count in (1000, 5000):
        path = scratch / f"synthetic-{count}" / "asio.json"
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(synthetic_report(template, count)))
        view_times[count] = median_run(args.rounds, lambda i: drive(args.build_dir, scratch / f"render-{count}-{i}",
                                                                   "--render", path))[0]
    rows.append(("--render, 5000 vs 1000 results", view_times[5000],
                 f"{view_times[5000] / view_times[1000]:.2f}x the 1000-result time ({view_times[1000]:.2f} s); "
                 f"{view_times[1000] / 1000 * 1e3:.2f} ms per result at 1000"))
    print(f"# bench {time.strftime('%Y-%m-%d')} on {os.uname().nodename} ({cores} cores), medians of {args.rounds}")
    for name, wall, ratios in rows:
        print(f"| {name} | {wall:.2f} s | {ratios} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
