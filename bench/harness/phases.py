"""The measurements, one function per phase. Each returns a plain dict that
goes into `bench/results/latest.json` as it is."""

import statistics
import time

from .procs import CLK_TCK, context_switches, cpu_ticks, now_ns, status_kib, threads

ANA = "demo-ana"


def assigned(finding: str, severity: str = "high") -> dict:
    """A thin `finding_assigned` to Ana: one pop-up each under the bench
    config (storm coalescing off). `high` so no sound line is printed."""
    return {
        "type": "finding_assigned",
        "company_id": "c-acme",
        "payload": {
            "finding_id": finding,
            "title": f"Bench finding {finding}",
            "severity": severity,
            "assignee_ids": ["u-ana"],
            "schema_version": 1,
            "correlation_id": f"corr-{finding}",
            "subject_type": "finding",
            "subject_id": finding,
            "actor_type": "user",
            "actor_id": "u-lee",
            "timestamp": "2026-11-24T09:15:02.123456789Z",
        },
    }


def emit(sim, findings: list[str]) -> None:
    outcome = sim.post("/_sim/emit", {"events": [assigned(f) for f in findings], "user": "u-ana"})
    if outcome["dropped"]:
        raise RuntimeError(f"the sim dropped frames: {outcome}")


def percentiles(samples_ns: list[int]) -> dict:
    ms = sorted(s / 1e6 for s in samples_ns)
    if not ms:
        return {"count": 0}

    def pick(q: float) -> float:
        return round(ms[min(len(ms) - 1, int(q * len(ms)))], 3)

    return {
        "count": len(ms),
        "p50_ms": pick(0.50),
        "p95_ms": pick(0.95),
        "p99_ms": pick(0.99),
        "max_ms": round(ms[-1], 3),
        "mean_ms": round(statistics.fmean(ms), 3),
    }


def collect(watch, sent: dict[str, int], timeout: float) -> tuple[list[int], int, int]:
    """Latencies of every sent finding, plus how many were lost or doubled."""
    last = next(reversed(sent))  # the stream is ordered: the last emitted comes last
    try:
        watch.wait_notified(last, timeout)
    except TimeoutError:
        pass  # counted as lost below
    with watch.cond:
        latencies = [watch.notified[f] - t for f, t in sent.items() if f in watch.notified]
        doubled = sum(1 for f in sent if watch.notify_counts.get(f, 0) > 1)
    return latencies, len(sent) - len(latencies), doubled


def latency_steady(sim, watch, count: int, rate: float, tag: str) -> dict:
    """One `/_sim/emit` per event on a fixed schedule; emit → notify line."""
    period = 1.0 / rate
    sent: dict[str, int] = {}
    start = time.perf_counter()
    for i in range(count):
        delay = start + i * period - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        finding = f"lat-{tag}-{i}"
        sent[finding] = now_ns()
        emit(sim, [finding])
    latencies, lost, doubled = collect(watch, sent, 30)
    result = {"rate_per_s": rate, "lost": lost, "doubled": doubled, **percentiles(latencies)}
    return result, latencies


def latency_burst(sim, watch, count: int, batch: int, tag: str) -> dict:
    """`count` events posted back to back in lists of `batch`; each event's
    clock starts when its list is posted."""
    sent: dict[str, int] = {}
    for first in range(0, count, batch):
        findings = [f"lat-{tag}-{i}" for i in range(first, min(count, first + batch))]
        at = now_ns()
        for finding in findings:
            sent[finding] = at
        emit(sim, findings)
    latencies, lost, doubled = collect(watch, sent, 60)
    result = {"batch": batch, "lost": lost, "doubled": doubled, **percentiles(latencies)}
    return result, latencies


def throughput(sim, client, wait_mark, pid: int, count: int, tag: str) -> dict:
    """Queues `count` flood frames between two marker events behind a stall,
    releases the stall, and times the client from the first marker to the
    second: decoding speed, not the simulator's generation speed."""
    first, last = f"tp-{tag}-a", f"tp-{tag}-b"
    sim.post("/_sim/stall", {"seconds": 40})
    emit(sim, [first])
    flood = sim.post("/_sim/flood", {"count": count, "user": "u-ana"})
    if flood["dropped"]:
        raise RuntimeError(f"the sim dropped flood frames: {flood}; raise --buffer")
    emit(sim, [last])
    cpu_before = cpu_ticks(pid)
    sim.post("/_sim/stall", {"seconds": 0})
    t_first = wait_mark(first)
    t_last = wait_mark(last)
    cpu = (cpu_ticks(pid) - cpu_before) / CLK_TCK
    seconds = (t_last - t_first) / 1e9
    frames = count + 1
    return {
        "frames": frames,
        "seconds": round(seconds, 4),
        "events_per_s": round(frames / seconds),
        "cpu_s": round(cpu, 2),
        "events_per_cpu_s": round(frames / cpu) if cpu > 0 else None,
    }


def idle_footprint(pid: int, seconds: float) -> dict:
    """RSS, CPU and wake-ups of an idle process over `seconds` (sampled each
    second; the sampling itself is what a measurement window is, not a
    synchronisation)."""
    cpu0 = cpu_ticks(pid)
    vol0, invol0 = context_switches(pid)
    start = time.monotonic()
    rss = []
    while time.monotonic() - start < seconds:
        rss.append(status_kib(pid, "VmRSS"))
        time.sleep(min(1.0, max(0.0, seconds - (time.monotonic() - start))))
    elapsed = time.monotonic() - start
    cpu = (cpu_ticks(pid) - cpu0) / CLK_TCK
    vol1, invol1 = context_switches(pid)
    per_min = 60.0 / elapsed
    return {
        "seconds": round(elapsed, 1),
        "rss_kib": rss[-1],
        "rss_kib_max": max(rss),
        "cpu_percent": round(100.0 * cpu / elapsed, 3),
        "cpu_s": round(cpu, 2),
        "wakeups_per_min": round((vol1 - vol0) * per_min, 1),
        "involuntary_switches_per_min": round((invol1 - invol0) * per_min, 1),
        "threads": threads(pid),
    }


def flood_footprint(sim, watch, count: int, settle: float, tag: str) -> dict:
    """A flood straight onto a live stream; memory right after and once idle."""
    marker = f"flood-{tag}-end"
    cpu0 = cpu_ticks(watch.pid)
    t0 = now_ns()
    outcome = sim.post("/_sim/flood", {"count": count, "user": "u-ana"})
    emit(sim, [marker])
    t_done = watch.wait_notified(marker, 120)
    cpu = (cpu_ticks(watch.pid) - cpu0) / CLK_TCK
    after = status_kib(watch.pid, "VmRSS")
    time.sleep(settle)
    return {
        "events": count,
        "dropped_by_sim": outcome["dropped"],
        "seconds": round((t_done - t0) / 1e9, 2),
        "cpu_s": round(cpu, 2),
        "rss_kib_right_after": after,
        "rss_kib_settled": status_kib(watch.pid, "VmRSS"),
        "settle_s": settle,
        "vm_hwm_kib": status_kib(watch.pid, "VmHWM"),
    }


def reconnect(sim, start_watch, rounds: int) -> dict:
    """SIGKILL the sim, restart it on the same port (fresh fixture), and time
    `listening` → `live` and → the badge equal to the summary endpoint.

    Each round uses a fresh `watch`: back-off attempts only reset after 30 s
    of healthy stream, so back-to-back restarts on one process would measure
    an ever longer back-off rather than one restart."""
    to_live, to_badge = [], []
    for _ in range(rounds):
        watch = start_watch()
        mark = now_ns()
        sim.post("/_sim/inbox", {"user": "u-ana", "count": 2})
        watch.wait_badge(sim.unread(ANA), after=mark)
        mark = now_ns()
        sim.kill()
        watch.wait_state("reconnecting", after=mark)
        ready = sim.start()
        live = watch.wait_state("live", after=ready)
        exact = sim.unread(ANA)
        # A retried summary fetch may land before the stream is live.
        badge = max(live, watch.wait_badge(exact, after=ready))
        to_live.append((live - ready) / 1e6)
        to_badge.append((badge - ready) / 1e6)
        watch.finish()
    return {
        "rounds": rounds,
        "backoff": "CLI defaults (full jitter: first retry within 0.5 s, 60 s cap)",
        "to_live_ms": [round(x, 1) for x in to_live],
        "to_exact_badge_ms": [round(x, 1) for x in to_badge],
        "median_to_live_ms": round(statistics.median(to_live), 1),
        "median_to_exact_badge_ms": round(statistics.median(to_badge), 1),
        "max_to_exact_badge_ms": round(max(to_badge), 1),
    }
