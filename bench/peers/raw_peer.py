"""The ceiling for bench/run.sh: a client that reads the stream's bytes off
a plain socket and parses nothing. It only scans each read for marker
finding ids, so how fast it drains a queued stream is how fast the sim can
deliver it on this machine; every real client is reported as a fraction of
that. It prints `open` once the response headers are in and
`mark <finding_id> <bytes>` for every marker finding id it sees.

usage: python raw_peer.py <server url> <token> <marker prefix>
"""

import signal
import socket
import sys
from urllib.parse import urlsplit

NEEDLE_HEAD = b'"finding_id":"'
READ = 1 << 20
KEEP = 256


def main() -> None:
    server, token, prefix = sys.argv[1:4]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    url = urlsplit(server)
    sock = socket.create_connection((url.hostname, url.port or 80))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    request = (
        f"GET /api/v1/events HTTP/1.1\r\nHost: {url.netloc}\r\n"
        f"Authorization: Bearer {token}\r\nAccept: text/event-stream\r\n\r\n"
    )
    sock.sendall(request.encode())
    needle = NEEDLE_HEAD + prefix.encode()
    buffer = bytearray(READ)
    view = memoryview(buffer)
    tail = b""
    total = 0
    opened = False
    reported = set()
    while True:
        n = sock.recv_into(view)
        if n == 0:
            return
        total += n
        chunk = tail + bytes(view[:n])
        if not opened and b"\r\n\r\n" in chunk:
            opened = True
            print("open", flush=True)
        start = chunk.find(needle)
        while start >= 0:
            end = chunk.find(b'"', start + len(NEEDLE_HEAD))
            if end < 0:
                break  # cut by this read; the tail below keeps it whole
            finding = chunk[start + len(NEEDLE_HEAD) : end].decode()
            if finding not in reported:
                reported.add(finding)
                print(f"mark {finding} {total}", flush=True)
            start = chunk.find(needle, end)
        # Enough to find a needle and its id split across two reads.
        tail = chunk[-KEEP:]


if __name__ == "__main__":
    main()
