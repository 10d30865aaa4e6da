"""Load on ``/api/benchmark``: 100 concurrent clients for 60 s over loopback, with wrk.

Starts ``careerbench serve`` (2 workers) on a free loopback port against the configured store,
warms it, runs ``wrk -t2 -c100 -d60s`` over a rotating set of realistic cohort queries (a Lua
script), and reports throughput, p50/p95/p99 latency, errors (non-2xx and socket errors) and the
server's memory before and after. Writes ``benchmarks/results/load.json``.

The server keeps a bounded in-memory cache of answers (``careerbench.api.cache``), as it does in
normal use: the warm-up asks each query 5 times, spread over the workers, so during the run the
6 rotating queries without pay are cache hits (a worker the warm-up missed computes a query
once); the 2 that carry ``tc`` (your own pay) are never cached and are computed every time.
``--no-cache`` starts the server with
``CAREERBENCH_RESPONSE_CACHE=0``, so that every request is validated and computed, and writes
``benchmarks/results/load-no-cache.json``: both figures are reported.
Needs Debian's ``wrk`` (``apt-get install wrk``). Traffic stays on 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

RESULTS = Path(__file__).resolve().parents[1] / "benchmarks" / "results"
QUERIES = [
    "role=ml-engineer&level=senior&country=US&tc=200000",
    "role=data-scientist&level=mid&country=US",
    "role=software-engineer&level=senior&tier=big-tech&metro=Seattle",
    "role=research-scientist&level=senior&country=US&tc=180000",
    "role=ml-engineer&level=staff&company=Google",
    "role=data-engineer&level=entry&country=US&since=2024",
    "role=ai-engineer&level=mid&country=US&remote=remote",
    "role=software-engineer&level=mid&state=CA&years=2-5",
]
LUA = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/api/benchmark?" .. paths[(i %% #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%%d duration_us=%%d non2xx=%%d errors=%%d\\n",
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
  for _, p in ipairs({50, 95, 99}) do
    io.write(string.format("P%%d=%%.3f\\n", p, latency:percentile(p) / 1000.0))
  end
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB."""
    out = subprocess.run(["ps", "-o", "rss=", "--ppid", str(pid), "-p", str(pid)],
                         capture_output=True, text=True, check=False).stdout  # fmt: skip
    return sum(int(x) for x in out.split()) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--no-cache", action="store_true", help="Serve with the response cache turned off."
    )
    args = parser.parse_args()
    port = free_port()
    env = dict(os.environ)
    if args.no_cache:
        env["CAREERBENCH_RESPONSE_CACHE"] = "0"
    else:
        env.pop("CAREERBENCH_RESPONSE_CACHE", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "careerbench.cli", "serve", "--port", str(port),
         "--workers", str(args.workers)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True, env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/api/health", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        for query in QUERIES * 5:  # warm every worker's cohort index and caches
            urllib.request.urlopen(f"{base}/api/benchmark?{query}", timeout=30).read()
        before = rss_mb(server.pid)
        paths = ", ".join(json.dumps(q) for q in QUERIES)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(LUA % paths)
        run = subprocess.run(
            ["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "--timeout", "5s",
             "-s", script.name, base],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        Path(script.name).unlink()
        after = rss_mb(server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    result = dict(re.findall(r"(\w+)=([\d.]+)", run.stdout))
    requests = int(result["requests"])
    seconds = int(result["duration_us"]) / 1e6
    figures = {
        "endpoint": "/api/benchmark (8 rotating cohort queries)",
        "connections": args.connections,
        "seconds": round(seconds, 1),
        "workers": args.workers,
        "requests": requests,
        "throughput_rps": round(requests / seconds, 1),
        "p50_ms": float(result["P50"]),
        "p95_ms": float(result["P95"]),
        "p99_ms": float(result["P99"]),
        "non_2xx": int(result["non2xx"]),
        "socket_errors": int(result["errors"]),
        "server_rss_mb_before": round(before, 1),
        "server_rss_mb_after": round(after, 1),
        "response_cache": "off" if args.no_cache else "on",
        "cache_note": (
            "CAREERBENCH_RESPONSE_CACHE=0: every request validated and computed"
            if args.no_cache
            else "the 6 queries without pay are cache hits after the warm-up; the 2 with tc are "
            "computed every time (see --no-cache)"
        ),
        "targets": {"throughput_rps": 300, "p99_ms": 100, "errors": 0},
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "load-no-cache.json" if args.no_cache else "load.json"
    (RESULTS / name).write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
