"""Peer client for bench/run.sh: Python's httpx + httpx-sse decoding the same
stream as companion-core. It only parses each frame's JSON; it prints `open`
once connected and `mark <finding_id> <frames>` for every `finding_assigned`
whose finding id starts with the marker prefix.

usage: python python_peer.py <server url> <token> <marker prefix>
"""

import json
import signal
import sys

import httpx
from httpx_sse import connect_sse


def main() -> None:
    server, token, prefix = sys.argv[1:4]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    frames = 0
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(timeout=None) as client:
        with connect_sse(client, "GET", f"{server}/api/v1/events", headers=headers) as source:
            for sse in source.iter_sse():
                if sse.event == "ping":
                    print("open", flush=True)
                    continue
                frames += 1
                try:
                    value = json.loads(sse.data)
                except ValueError:
                    continue
                payload = value.get("payload") or {}
                finding = payload.get("finding_id")
                if (
                    value.get("type") == "finding_assigned"
                    and isinstance(finding, str)
                    and finding.startswith(prefix)
                ):
                    print(f"mark {finding} {frames}", flush=True)


if __name__ == "__main__":
    main()
