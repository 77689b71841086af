"""granian (what `upward serve` runs) against gunicorn, one worker each, on 127.0.0.1.

    uv run python bench/serve.py [--requests 2000] [--threads 8]

Prepares a throwaway SQLite database with the demo data and a read token, then for
each server: starts it with one worker process, sends a bounded number of requests
to /healthz and to GET /api/v1/me from a few client threads, and stops it. Prints
requests per second and the median and 99th percentile latency of each. gunicorn
runs through `uv run --with gunicorn`, so it needn't be a dependency to be measured.
"""

from __future__ import annotations

import argparse
import http.client
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from _setup import ROOT, table

THREADS_PER_WORKER = 4


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(work: Path) -> dict[str, str]:
    return {
        **os.environ,
        "UPWARD_DATA_DIR": str(work),
        "UPWARD_DATABASE_URL": f"sqlite:///{work}/upward.sqlite3",
        "UPWARD_SECRET_KEY": "bench-" + secrets.token_urlsafe(40),
        "UPWARD_DEBUG": "0",
        "UPWARD_TASKS": "immediate",
        "UPWARD_ACCESS_LOG": "",
        "UPWARD_LOG_LEVEL": "WARNING",
    }


def prepare(env: dict[str, str]) -> str:
    """Migrate, load the demo and return a fresh read token for Alice."""
    run = ["uv", "run", "--quiet", "upward"]
    subprocess.run([*run, "migrate"], env=env, check=True, capture_output=True, cwd=ROOT)  # noqa: S603 (fixed commands)
    script = (
        "from upward.accounts.models import User\n"
        "from upward.accounts.services import create_api_token\n"
        "from upward.demo import load_demo\n"
        "load_demo()\n"
        "_t, raw = create_api_token(user=User.objects.get(email='alice@example.com'),"
        " name='bench', scope='read', days=1)\n"
        "print(raw)\n"
    )
    done = subprocess.run(  # noqa: S603 (fixed commands)
        [*run, "manage", "shell", "-c", script],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return done.stdout.strip().splitlines()[-1]


def servers(port: int) -> dict[str, list[str]]:
    """Both servers with one worker process of 4 threads; gunicorn as `upward serve`
    used to run it, granian as it runs it now."""
    return {
        "gunicorn": [
            "uv", "run", "--quiet", "--with", "gunicorn", "gunicorn",
            "--workers", "1", "--threads", str(THREADS_PER_WORKER), "--worker-class", "gthread",
            "--bind", f"127.0.0.1:{port}", "--no-control-socket", "upward.wsgi:application",
        ],
        "granian": [
            "uv", "run", "--quiet", "upward", "serve", "--workers", "1", "--port", str(port),
        ],
    }  # fmt: skip


def wait_until_up(port: int, server: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if server.poll() is not None:
            sys.exit(f"the server stopped: {server.returncode}")
        try:
            status, _ = request(port, "/healthz", {})
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    sys.exit("the server did not answer /healthz in 30 s")


def request(port: int, path: str, headers: dict[str, str]) -> tuple[int, float]:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, (time.perf_counter() - started) * 1000
    finally:
        connection.close()


def load(
    port: int, path: str, headers: dict[str, str], count: int, threads: int
) -> tuple[str, ...]:
    """`count` requests from `threads` threads: requests/s, p50 and p99 ms, failures."""
    for _ in range(20):  # warm up
        request(port, path, headers)
    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        results = list(pool.map(lambda _: request(port, path, headers), range(count)))
    elapsed = time.perf_counter() - started
    times = sorted(ms for _, ms in results)
    failed = sum(1 for status, _ in results if status != 200)
    p99 = times[int(len(times) * 0.99) - 1]
    return (f"{count / elapsed:.0f}", f"{statistics.median(times):.1f}", f"{p99:.1f}", str(failed))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="upward-serve-"))
    env = environment(work)
    token = prepare(env)
    rows = [("server", "path", "req/s", "p50 ms", "p99 ms", "failed")]
    port = free_port()
    for name, command in servers(port).items():
        server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)  # noqa: S603 (fixed commands)
        try:
            wait_until_up(port, server)
            for path, headers in (
                ("/healthz", {}),
                ("/api/v1/me", {"Authorization": f"Bearer {token}"}),
            ):
                rows.append((name, path, *load(port, path, headers, args.requests, args.threads)))
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"{args.requests} requests per row from {args.threads} threads; {os.cpu_count()} cores")
    print(table(rows))


if __name__ == "__main__":
    main()
