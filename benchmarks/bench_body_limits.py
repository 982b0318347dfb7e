"""Worker memory while a stranger streams a huge body: the request guard must not read it.

Usage:
    python -m benchmarks.bench_body_limits [--mib 500] [--chunk-kib 1024]

One uvicorn worker serves the real app (an empty SQLite store in a temp dir, no models) on
127.0.0.1 at a free port, in a subprocess. For each case a client on a plain socket POSTs
``--mib`` MiB to ``/v1/applications`` in chunks, stopping as soon as the server answers or
closes the connection; a thread samples the worker's VmRSS every 5 ms. Reported per case:
idle RSS before, peak RSS during, the status, and how many bytes the client got to send
(the kernel's socket buffers take a few MiB the worker never reads).

Cases: no credential with ``Transfer-Encoding: chunked`` and with a declared
``Content-Length`` (401 before the body is read), and a credential that only looks valid
(``Bearer ak_…``; the body is read up to the route's limit, then 413).
"""

from __future__ import annotations

import argparse
import contextlib
import select
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.common import emit, load_average, machine, rss_mb

HOST = "127.0.0.1"  # loopback only
MIB = 1024 * 1024


def serve(port: int, workdir: Path) -> None:
    import uvicorn

    from autolease import store
    from autolease.app import create_app
    from autolease.config import ApiSettings, DatabaseSettings, SecuritySettings, Settings
    from autolease.runtime import build_runtime

    settings = Settings(
        db=DatabaseSettings(url=f"sqlite:///{workdir / 'bench.db'}"),
        security=SecuritySettings(keyfile=workdir / "keys.json"),
        api=ApiSettings(freeze_startup_heap=True),
        artifacts_dir=workdir / "artifacts",
    )
    runtime = build_runtime(settings)
    store.upgrade(runtime.engine)
    uvicorn.run(
        create_app(runtime=runtime), host=HOST, port=port, log_level="warning", access_log=False
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
    return port


def wait_ready(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the server exited")
        try:
            with socket.create_connection((HOST, port), timeout=1) as conn:
                conn.sendall(b"GET /health HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n")
                if conn.recv(64).startswith(b"HTTP/1.1 200"):
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start")


class PeakRss:
    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0.0
        self.running = True
        self.thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while self.running:
            self.peak = max(self.peak, rss_mb(self.pid))
            time.sleep(0.005)

    def __enter__(self) -> PeakRss:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.running = False
        self.thread.join()


def stream(
    port: int, *, total: int, chunk: int, headers: dict[str, str], chunked: bool
) -> dict[str, object]:
    """POST `total` bytes in `chunk`s until the server answers; the status and bytes sent."""
    head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    framing = "Transfer-Encoding: chunked\r\n" if chunked else f"Content-Length: {total}\r\n"
    request = f"POST /v1/applications HTTP/1.1\r\nHost: bench\r\n{head}{framing}\r\n".encode()
    piece = b"a" * chunk
    framed = f"{chunk:x}\r\n".encode() + piece + b"\r\n" if chunked else piece
    sent, answer = 0, b""
    with socket.create_connection((HOST, port), timeout=30) as conn:
        conn.sendall(request)
        try:
            while sent < total and not answer:
                conn.sendall(framed)
                sent += chunk
                if select.select([conn], [], [], 0)[0]:
                    answer = conn.recv(65536)
            if not answer:
                conn.sendall(b"0\r\n\r\n" if chunked else b"")
        except (BrokenPipeError, ConnectionResetError):
            pass
        with contextlib.suppress(ConnectionResetError, TimeoutError):
            answer = answer or conn.recv(65536)
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else None
    return {"status": status, "client_sent_mib": round(sent / MIB, 1)}


CASES: dict[str, tuple[dict[str, str], bool]] = {
    "no_credential_chunked": ({"Content-Type": "application/json"}, True),
    "no_credential_content_length": ({"Content-Type": "application/json"}, False),
    "lookalike_api_key_chunked": (
        {"Content-Type": "application/json", "Authorization": "Bearer ak_00000000_bogus"},
        True,
    ),
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mib", type=int, default=500)
    parser.add_argument("--chunk-kib", type=int, default=1024)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.serve, args.workdir)
        return
    with tempfile.TemporaryDirectory(prefix="bench-body-") as tmp:
        port = free_port()
        command = [sys.executable, "-m", "benchmarks.bench_body_limits", "--serve", str(port)]
        server = subprocess.Popen([*command, "--workdir", tmp], stderr=subprocess.DEVNULL)
        try:
            wait_ready(port, server)
            time.sleep(1)
            for name, (headers, chunked) in CASES.items():
                idle = rss_mb(server.pid)
                with PeakRss(server.pid) as peak:
                    result = stream(
                        port,
                        total=args.mib * MIB,
                        chunk=args.chunk_kib * 1024,
                        headers=headers,
                        chunked=chunked,
                    )
                    time.sleep(0.2)
                emit(
                    "body_limits",
                    case=name,
                    body_mib=args.mib,
                    idle_rss_mb=idle,
                    peak_rss_mb=peak.peak,
                    growth_mb=round(peak.peak - idle, 1),
                    **result,
                    load=load_average(),
                    **machine(),
                )
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
