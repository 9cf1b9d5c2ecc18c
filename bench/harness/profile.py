"""Where `pmap-cli watch` spends its CPU while it decodes and decides a
stream as fast as it can: `perf record` on the process while it drains a
queued flood (the throughput phase's setup), then a flat profile by symbol
and by shared object.

usage (from bench/): python3 -m harness.profile --cli PATH --sim PATH [--events N]
Needs `perf` with access to the process (root, or perf_event_paranoid ≤ 1).
"""

import argparse
import json
import os
import re
import signal
import subprocess
import tempfile
from pathlib import Path

from . import phases
from .__main__ import BENCH_PREFS
from .procs import Sim, Watch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", type=Path, required=True)
    parser.add_argument("--sim", type=Path, required=True)
    parser.add_argument("--events", type=int, default=400_000)
    parser.add_argument("--out", type=Path, default=Path("results/profile.txt"))
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pmap-profile-"))
    sim = Sim(args.sim, ["--buffer", str(args.events + 10)], work / "sim.log")
    sim.start()
    home = work / "home"
    (home / "config" / "pmap-companion").mkdir(parents=True)
    (home / "config" / "pmap-companion" / "config.json").write_text(json.dumps(BENCH_PREFS))
    watch = Watch(args.cli, sim, phases.ANA, home, work / "cli.log")
    try:
        watch.wait_state("live")
        sim.post("/_sim/stall", {"seconds": 60})
        phases.emit(sim, ["prof-a"])
        sim.post("/_sim/flood", {"count": args.events, "user": "u-ana"})
        phases.emit(sim, ["prof-b"])
        data = work / "perf.data"
        perf = subprocess.Popen(
            ["perf", "record", "-F", "4999", "-o", str(data), "-p", str(watch.pid)],
            stderr=subprocess.DEVNULL,
        )
        # perf prints nothing when ready; its output file appearing is the signal.
        watch.wait_until("perf to attach", lambda: data.exists(), 10)
        sim.post("/_sim/stall", {"seconds": 0})
        first = watch.wait_notified("prof-a")
        last = watch.wait_notified("prof-b", 120)
        perf.send_signal(signal.SIGINT)
        perf.wait()
        rate = (args.events + 1) / ((last - first) / 1e9)
        report = []
        for sort in ("symbol", "dso"):
            text = subprocess.run(
                ["perf", "report", "-i", str(data), "--no-children", "--sort", sort,
                 "--stdio", "--percent-limit", "0.7"],
                capture_output=True, text=True, check=True,
            ).stdout
            # Drop perf's empty trailing columns.
            lines = (re.sub(r"(\s+-)*\s*$", "", line) for line in text.splitlines())
            report.append("\n".join(line for line in lines if line and not line.startswith("#")))
        workers = os.environ.get("TOKIO_WORKER_THREADS", "default (one per core)")
        header = (
            f"pmap-cli watch draining {args.events} queued frames: {rate:,.0f} events/s under perf "
            f"(tokio worker threads: {workers})\n"
        )
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(header + "\n== by symbol (self)\n" + report[0] + "\n\n== by object\n" + report[1] + "\n")
        print(args.out.read_text())
    finally:
        watch.stop()
        sim.stop()


if __name__ == "__main__":
    main()
