"""The tray app on a headless desktop: its memory idle, with the window
open and after the window is closed, and the latency from `/_sim/emit` to
the `Notify` call it puts on the session bus.

The desktop is private to the run: its own `dbus-daemon`, `Xvfb` on a free
display and `dunst` as the notification daemon (the same rig as
tests/app/idle-memory.sh). `dbus-monitor` watches the bus; each `Notify`
is timestamped the moment its header line is read, as `pmap-cli`'s notify
lines are, so the two latency rows compare like with like.
"""

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from . import phases
from .procs import PATIENCE, LineProcess, now_ns

# The test desktop's helpers the tray tests use too: the panel's
# StatusNotifierWatcher and the window manager's close button.
APP_TESTS = Path(__file__).resolve().parents[2] / "tests" / "app"
sys.path.insert(0, str(APP_TESTS))
from close_window import close_window  # noqa: E402

ROLLUP_KEYS = ("Rss", "Pss", "Pss_Anon", "Pss_File", "Anonymous")
SUMMARY = re.compile(rb'^\s*string "(?:[^"]*: )?Bench finding (\S+?)"')


class Desktop:
    """A private session bus, an X server and a notification daemon."""

    def __init__(self, work: Path):
        self.work = work
        self.procs: list[subprocess.Popen] = []
        self.env: dict = {}

    def start(self) -> dict:
        bus = self._spawn(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                          stdout=subprocess.PIPE)
        address = bus.stdout.readline().decode().strip()
        if not address:
            raise RuntimeError("dbus-daemon printed no address")
        read_end, write_end = os.pipe()
        self._spawn(["Xvfb", "-displayfd", str(write_end), "-nolisten", "tcp"],
                    pass_fds=(write_end,))
        os.close(write_end)
        with os.fdopen(read_end) as displayfd:
            display = displayfd.readline().strip()
        if not display:
            raise RuntimeError("Xvfb reported no display")
        home = self.work / "tray-home"
        (home / "config" / "pmap-companion").mkdir(parents=True, exist_ok=True)
        self.env = {
            **os.environ,
            "DBUS_SESSION_BUS_ADDRESS": address,
            "DISPLAY": f":{display}",
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CACHE_HOME": str(home / "cache"),
            "XDG_STATE_HOME": str(home / "state"),
            "TZ": "UTC",
        }
        self._spawn(["dunst"], env=self.env)
        self._wait_for_name("org.freedesktop.Notifications")
        # A panel to wait in: without a tray the app opens its window at start.
        watcher = APP_TESTS / "tray_watcher.py"
        self._spawn(["/usr/bin/python3", str(watcher)], env=self.env)
        self._wait_for_name("org.kde.StatusNotifierWatcher")
        return self.env

    def _spawn(self, argv, **kw) -> subprocess.Popen:
        kw.setdefault("stdout", subprocess.DEVNULL)
        proc = subprocess.Popen(argv, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, **kw)
        self.procs.append(proc)
        return proc

    def _wait_for_name(self, name: str) -> None:
        """Polls the bus until `name` has an owner (dunst prints nothing)."""
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            answer = subprocess.run(
                ["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus",
                 "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner", f"string:{name}"],
                env=self.env, capture_output=True, text=True)
            if "boolean true" in answer.stdout:
                return
            time.sleep(0.05)
        raise TimeoutError(f"{name} never appeared on the bus")

    def stop(self) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


class NotifyMonitor(LineProcess):
    """`dbus-monitor` on `Notify` calls: the first time each bench finding
    reached the bus, with the same interface as `procs.Watch` for
    `phases.latency_*`."""

    def __init__(self, env: dict, log: Path):
        self.notified: dict[str, int] = {}
        self.notify_counts: dict[str, int] = {}
        self.calls = 0
        self.reply_ns: list[int] = []  # daemon's answer time per Notify
        self._pending: dict[str, int] = {}
        self._header_at = None
        self._args = 0
        call = "type='method_call',interface='org.freedesktop.Notifications',member='Notify'"
        # The private bus carries little else; returns are matched by serial.
        super().__init__(["dbus-monitor", "--session", call, "type='method_return'"], env, log)

    def on_line(self, raw: bytes, at: int) -> None:
        if raw.startswith(b"method call ") and b"member=Notify" in raw:
            self.calls += 1
            self._header_at, self._args = at, 0
            serial = re.search(rb" sender=(\S+) .* serial=(\d+) ", raw)
            if serial:
                self._pending[b"%s/%s" % serial.groups()] = at
            return
        if raw.startswith(b"method return "):
            reply = re.search(rb" destination=(\S+) .*reply_serial=(\d+)", raw)
            sent = reply and self._pending.pop(b"%s/%s" % reply.groups(), None)
            if sent:
                self.reply_ns.append(at - sent)
            return
        if self._header_at is None:
            return
        self._args += 1
        if self._args == 4:  # app name, replaces id, icon, then the summary
            match = SUMMARY.match(raw)
            if match:
                finding = match.group(1).decode()
                self.notified.setdefault(finding, self._header_at)
                self.notify_counts[finding] = self.notify_counts.get(finding, 0) + 1
            self._header_at = None

    def wait_notified(self, finding: str, timeout: float = PATIENCE) -> int:
        return self.wait_until(f"Notify {finding}", lambda: self.notified.get(finding), timeout)


def rollup(pid: int) -> dict:
    """`/proc/<pid>/smaps_rollup` in KiB, plus threads and the PSS of every
    process below it (WebKit's web and network processes)."""
    values = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ROLLUP_KEYS:
            values[key.lower() + "_kib"] = int(rest.split()[0])
    children = descendants(pid)
    values["threads"] = len(list(Path(f"/proc/{pid}/task").iterdir()))
    values["child_processes"] = len(children)
    values["children_pss_kib"] = sum(_pss(child) for child in children)
    return values


def _pss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass  # it exited meanwhile
    return 0


def descendants(pid: int) -> list[int]:
    found, frontier = [], [pid]
    while frontier:
        parent = frontier.pop()
        # Each thread lists the children it started: the window process
        # is started from whichever thread handled the "open".
        kids = []
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                kids += [int(k) for k in (task / "children").read_text().split()]
            except OSError:
                continue
        found += kids
        frontier += kids
    return found


def find_window(env: dict) -> str | None:
    answer = subprocess.run(["xdotool", "search", "--name", r"^PMAP Companion( \(.*\))?$"],
                            env=env, capture_output=True, text=True)
    ids = answer.stdout.split()
    return ids[0] if answer.returncode == 0 and ids else None


def _poll(what: str, predicate, timeout: float = PATIENCE):
    """For conditions no process announces (a window mapped or gone)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise TimeoutError(f"timed out waiting for {what}")


def run(tray: Path, sim, work: Path, prefs: dict, p: dict) -> dict:
    """Memory idle, window open, window closed; then steady and burst latency."""
    desktop = Desktop(work)
    app = monitor = None
    try:
        env = desktop.start()
        config = Path(env["XDG_CONFIG_HOME"]) / "pmap-companion" / "config.json"
        config.write_text(json.dumps(prefs))
        env = {**env, "PMAP_SERVER": sim.url, "PMAP_TOKEN": phases.ANA, "PMAP_LOG": "warn"}
        monitor = NotifyMonitor(env, work / "dbus-monitor.log")
        with open(work / "tray.log", "ab") as log:
            app = subprocess.Popen([str(tray)], env=env, stdout=log, stderr=log,
                                   stdin=subprocess.DEVNULL)
        started = now_ns()
        live = _wait_live(sim, monitor)
        # The build profile and name only: no machine path in the results.
        out = {"binary": "/".join(tray.parts[-2:]), "start_to_first_popup_ms": round((live - started) / 1e6)}

        time.sleep(p["tray_idle"])  # the measurement window itself
        out["idle"] = {"seconds": p["tray_idle"], **rollup(app.pid)}

        subprocess.run([str(tray)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=PATIENCE)  # a second launch opens the window
        window = _poll("the window", lambda: find_window(env))
        time.sleep(p["tray_window"])
        out["window_open"] = {"seconds": p["tray_window"], **rollup(app.pid)}
        close_window(env["DISPLAY"], int(window))
        _poll("the window to close", lambda: find_window(env) is None)
        time.sleep(p["tray_idle"])
        out["window_closed"] = {"seconds": p["tray_idle"], **rollup(app.pid)}
        out["closed_vs_idle_pss"] = round(
            out["window_closed"]["pss_kib"] / out["idle"]["pss_kib"], 3)

        monitor.reply_ns.clear()
        steady, _ = phases.latency_steady(sim, monitor, p["tray_steady"], p["tray_rate"], "ts")
        burst, _ = phases.latency_burst(sim, monitor, p["tray_burst"], p["tray_burst"], "tb")
        out["latency"] = {"steady": steady, "burst": burst}
        out["notify_calls_seen"] = monitor.calls
        out["daemon_reply"] = phases.percentiles(monitor.reply_ns)
        if app.poll() is not None:
            raise RuntimeError(f"the tray app exited ({app.returncode}); see {work / 'tray.log'}")
        return out
    finally:
        if app and app.poll() is None:
            app.terminate()
            try:
                app.wait(timeout=15)
            except subprocess.TimeoutExpired:
                app.kill()
        if monitor:
            monitor.stop()
        desktop.stop()


def _wait_live(sim, monitor: NotifyMonitor) -> int:
    """The stream has no replay, so an event emitted before the app
    subscribed is lost: probe until one pops up."""
    deadline = time.monotonic() + PATIENCE
    n = 0
    while time.monotonic() < deadline:
        finding = f"probe-{n}"
        n += 1
        phases.emit(sim, [finding])
        try:
            return monitor.wait_notified(finding, 1.0)
        except TimeoutError:
            continue
    raise TimeoutError("the tray app never showed a pop-up")
