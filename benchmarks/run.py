"""Run every benchmark: a table on stdout, the same figures as JSON in a file.

    python -m benchmarks            # everything (several minutes on 2 busy cores)
    python -m benchmarks --quick    # fewer repetitions, shorter traces
    python -m benchmarks --only engine,trace --json /tmp/figures.json

Every figure comes with its reference measured in the same run, and the ratio:
the machine is shared, so absolute times drift but ratios hold.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
import traceback
from dataclasses import asdict
from pathlib import Path

if __package__ in (None, ""):  # `python benchmarks/run.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    __package__ = "benchmarks"

from benchmarks import (
    bench_engine,
    bench_keys,
    bench_memory,
    bench_paint,
    bench_sums,
    bench_trace,
)
from benchmarks.common import PROBLEMS, Report, table, write_problems
from benchmarks.harness import Tmux, compile_package

MODULES = ("engine", "sums", "trace", "paint", "keys", "memory")
APP_CASES = ("default", *PROBLEMS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--only", metavar="LIST", help=f"some of: {', '.join(MODULES)}")
    parser.add_argument("--skip-tmux", action="store_true", help="no real-terminal figures")
    parser.add_argument("--json", metavar="PATH", type=Path,
                        default=Path(__file__).with_name("results.json"),
                        help="where the JSON goes (default: benchmarks/results.json)")
    args = parser.parse_args(argv)
    wanted = set(args.only.split(",")) if args.only else set(MODULES)
    if wanted - set(MODULES):
        parser.error(f"unknown module(s): {', '.join(sorted(wanted - set(MODULES)))}")

    report = Report()
    compile_package()  # the app starts from bytecode, as an installed one does
    tmux = None if args.skip_tmux or not shutil.which("tmux") else Tmux()
    load = os.getloadavg()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="eigenvue-bench-") as tmp:
        workdir = Path(tmp)
        folder = workdir / "presets"
        folder.mkdir()
        files = write_problems(folder, list(PROBLEMS))
        trace_files = write_problems(workdir, ["128²⊛5²", "512²⊛9²"])
        app_paths = {case: files.get(case) for case in APP_CASES}
        jobs = {
            "engine": lambda: bench_engine.run(report, args.quick),
            "sums": lambda: bench_sums.run(report, args.quick),
            "trace": lambda: bench_trace.run(report, args.quick, trace_files),
            "paint": lambda: bench_paint.run(report, args.quick, app_paths, workdir, tmux),
            "keys": lambda: bench_keys.run(report, args.quick, app_paths, folder),
            "memory": lambda: bench_memory.run(report, args.quick, files["1024²⊛31²"],
                                               workdir, tmux),
        }
        try:
            for name in MODULES:
                if name not in wanted:
                    continue
                print(f"… {name}", file=sys.stderr, flush=True)
                t0 = time.perf_counter()
                try:
                    jobs[name]()
                except Exception as error:
                    traceback.print_exc()
                    report.error(name, "", error)
                print(f"  {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
        finally:
            if tmux is not None:
                tmux.close()
    meta = {
        "command": " ".join(["python -m benchmarks", *(argv if argv is not None else
                                                      sys.argv[1:])]),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average_at_start": [round(x, 2) for x in load],
        "quick": args.quick,
        "elapsed_s": round(time.perf_counter() - started, 1),
    }
    results = [{**asdict(r), "ratio": r.ratio} for r in report.results]
    args.json.write_text(json.dumps({"meta": meta, "results": results}, indent=1,
                                    ensure_ascii=False) + "\n")
    print(f"eigenvue-tui benchmarks: {meta['command']} — Python {meta['python']}, "
          f"{meta['cpus']} CPUs, load {load[0]:.2f} at start, {meta['elapsed_s']:.0f} s")
    print()
    print(table(report))
    print()
    misses = [r for r in report.results if r.ok is False]
    print(f"{len(misses)} figure(s) miss their target." if misses else
          "Every figure with a target meets it.")
    print(f"JSON: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
