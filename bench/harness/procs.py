"""The processes a benchmark run drives: `pmap-sim`, `pmap-cli watch` and the
peer SSE clients, each read line by line on its own thread with a
`perf_counter_ns` timestamp taken the moment the line is read.

Nothing here sleeps to synchronise: waits are on lines a process printed,
with a timeout only as a safety net.
"""

import http.client
import json
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

PATIENCE = 60.0
CLK_TCK = os.sysconf("SC_CLK_TCK")


def now_ns() -> int:
    return time.perf_counter_ns()


class Sim:
    """A `pmap-sim --control` process on loopback."""

    def __init__(self, binary: Path, args: list[str], log: Path):
        self.binary = binary
        self.args = args
        self.log = log
        self.proc = None
        self.addr = "127.0.0.1:0"
        self.conn = None

    def start(self) -> int:
        """Starts (or restarts on the same port); returns when it listens."""
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                [str(self.binary), "--addr", self.addr, "--control", *self.args],
                stdout=subprocess.PIPE,
                stderr=log,
                env={**os.environ, "RUST_LOG": "warn"},
            )
        line = self.proc.stdout.readline().decode().strip()
        ready = now_ns()
        prefix = "listening on http://"
        if not line.startswith(prefix):
            raise RuntimeError(f"pmap-sim printed {line!r}")
        self.addr = line[len(prefix):]
        self.conn = None
        return ready

    @property
    def url(self) -> str:
        return f"http://{self.addr}"

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.conn = None

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)

    def _request(self, method: str, path: str, body=None, token=None):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        payload = None if body is None else json.dumps(body, separators=(",", ":"))
        for attempt in (1, 2):
            if self.conn is None:
                host, port = self.addr.rsplit(":", 1)
                self.conn = http.client.HTTPConnection(host, int(port), timeout=PATIENCE)
            try:
                self.conn.request(method, path, body=payload, headers=headers)
                response = self.conn.getresponse()
                text = response.read()
            except (OSError, http.client.HTTPException):
                self.conn = None
                if attempt == 2:
                    raise
                continue
            if response.status >= 300:
                raise RuntimeError(f"{method} {path} answered {response.status}: {text[:200]!r}")
            return json.loads(text) if text else None

    def post(self, path: str, body) -> dict:
        return self._request("POST", path, body)

    def get(self, path: str, token: str) -> dict:
        return self._request("GET", path, token=token)

    def unread(self, token: str) -> int:
        return self.get("/api/v1/notifications/summary", token)["unread"]


class LineProcess:
    """A child whose stdout lines are timestamped on a reader thread."""

    def __init__(self, argv: list[str], env: dict, stderr_log: Path):
        with open(stderr_log, "ab") as log:
            self.proc = subprocess.Popen(
                argv, stdout=subprocess.PIPE, stderr=log, env=env, stdin=subprocess.DEVNULL
            )
        self.cond = threading.Condition()
        self.closed = False
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    @property
    def pid(self) -> int:
        return self.proc.pid

    def _read(self) -> None:
        for raw in self.proc.stdout:
            at = now_ns()
            with self.cond:
                self.on_line(raw, at)
                self.cond.notify_all()
        with self.cond:
            self.closed = True
            self.cond.notify_all()

    def on_line(self, raw: bytes, at: int) -> None:
        raise NotImplementedError

    def wait_until(self, what: str, predicate, timeout: float = PATIENCE):
        """Waits until `predicate()` (called under the lock) is truthy."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                value = predicate()
                if value:
                    return value
                if self.closed:
                    raise RuntimeError(f"{self.proc.args[0]} exited before {what}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"timed out waiting for {what}")
                self.cond.wait(min(left, 1.0))

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
        self.proc.wait(timeout=15)
        self.thread.join(timeout=15)


class Watch(LineProcess):
    """`pmap-cli --format json watch` with isolated XDG directories.

    Records the first read time of every notify line per finding id, every
    connection state and badge value, and the final stats line.
    """

    def __init__(self, cli: Path, sim: Sim, token: str, home: Path, log: Path, extra=(), env=None):
        env = {
            **os.environ,
            **(env or {}),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_STATE_HOME": str(home / "state"),
            "XDG_DATA_HOME": str(home / "data"),
            "PMAP_TOKEN": token,
            "RUST_LOG": "warn",
        }
        env.pop("PMAP_SERVER", None)
        self.notified: dict[str, int] = {}
        self.notify_counts: dict[str, int] = {}
        self.states: list[tuple[int, str]] = []
        self.badges: list[tuple[int, int]] = []
        self.stats = None
        self.lines = 0
        argv = [str(cli), "--server", sim.url, "--format", "json", "watch", *extra]
        super().__init__(argv, env, log)

    def on_line(self, raw: bytes, at: int) -> None:
        self.lines += 1
        if b'"notify"' in raw:
            value = json.loads(raw)
            finding = (value.get("url") or "").rsplit("/", 1)[-1]
            if finding not in self.notified:
                self.notified[finding] = at
            self.notify_counts[finding] = self.notify_counts.get(finding, 0) + 1
        elif b'"connection"' in raw:
            self.states.append((at, json.loads(raw)["state"]))
        elif b'"badge"' in raw:
            self.badges.append((at, json.loads(raw)["unread"]))
        elif raw.startswith(b'{"stats"'):
            self.stats = json.loads(raw)["stats"]

    def wait_state(self, state: str, after: int = 0) -> int:
        return self.wait_until(
            f"connection {state}",
            lambda: next((t for t, s in self.states if s == state and t >= after), None),
        )

    def wait_badge(self, unread: int, after: int = 0) -> int:
        return self.wait_until(
            f"badge {unread}",
            lambda: next((t for t, n in self.badges if n == unread and t >= after), None),
        )

    def wait_notified(self, finding: str, timeout: float = PATIENCE) -> int:
        return self.wait_until(f"notify {finding}", lambda: self.notified.get(finding), timeout)

    def finish(self) -> dict:
        """SIGTERM, then the engine counters it printed on the way out."""
        self.stop()
        return self.stats or {}


class Peer(LineProcess):
    """A peer SSE client printing `open` and `mark <finding> <frames>`."""

    def __init__(self, argv: list[str], log: Path):
        self.opened = None
        self.marks: dict[str, tuple[int, int]] = {}
        super().__init__(argv, dict(os.environ), log)

    def on_line(self, raw: bytes, at: int) -> None:
        parts = raw.decode().split()
        if parts[:1] == ["open"] and self.opened is None:
            self.opened = at
        elif parts[:1] == ["mark"] and len(parts) == 3:
            self.marks[parts[1]] = (at, int(parts[2]))

    def wait_open(self) -> int:
        return self.wait_until("the stream to open", lambda: self.opened)

    def wait_mark(self, finding: str, timeout: float = PATIENCE) -> int:
        return self.wait_until(
            f"mark {finding}", lambda: (self.marks.get(finding) or (None,))[0], timeout
        )


def cpu_ticks(pid: int) -> int:
    """utime + stime of a process (all threads), in clock ticks."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def status_kib(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise KeyError(key)


def context_switches(pid: int) -> tuple[int, int]:
    """(voluntary, involuntary) context switches summed over every thread."""
    voluntary = involuntary = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            text = (task / "status").read_text()
        except OSError:
            continue  # the thread ended meanwhile
        for line in text.splitlines():
            if line.startswith("voluntary_ctxt_switches:"):
                voluntary += int(line.split()[1])
            elif line.startswith("nonvoluntary_ctxt_switches:"):
                involuntary += int(line.split()[1])
    return voluntary, involuntary


def threads(pid: int) -> int:
    return len(list(Path(f"/proc/{pid}/task").iterdir()))
