"""Load benchmarks under the real server: gunicorn (sync workers) on loopback, wrk as the client,
CPU per request read from /proc for the gunicorn workers and for the database's own backend
processes (PostgreSQL), so other jobs on a shared machine do not count.

Used by bench_intake.py and bench_worklist.py; each run times our view and a bare Django
baseline under the same server and prints both and the ratio.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
TICK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """utime + stime of one process, in seconds (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


@dataclass
class Server:
    """A gunicorn serving the bench site (the project + bare baselines) on loopback."""

    process: subprocess.Popen
    port: int
    env: dict

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def workers(self) -> list[int]:
        return children(self.process.pid)

    def app_cpu(self) -> float:
        return sum(cpu_seconds(pid) for pid in self.workers())

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_server(env: dict, workers: int) -> Server:
    port = free_port()
    env = {
        **os.environ,
        **env,
        "DJANGO_SETTINGS_MODULE": "loadsite.settings",
        "MOTCUA_DEBUG": "0",
        "MOTCUA_SECRET_KEY": env.get("MOTCUA_SECRET_KEY", "bench-" + "x" * 50),
        "MOTCUA_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "MOTCUA_LOG_LEVEL": "WARNING",
        "PYTHONPATH": f"{BENCH}{os.pathsep}{ROOT}",
    }
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    process = subprocess.Popen(
        [
            gunicorn,
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--backlog",
            "2048",
            "--access-logfile",
            "-" if os.environ.get("BENCH_ACCESS_LOG") else "/dev/null",
            "motcua.wsgi:application",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    server = Server(process, port, env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.2)
    else:
        server.stop()
        raise RuntimeError("gunicorn did not start")
    while len(server.workers()) < workers and time.monotonic() < deadline:
        time.sleep(0.2)
    return server


@dataclass
class Proxy:
    """nginx in front of a bench server with the shipped site (deploy/nginx-motcua.conf: TLS,
    keep-alive to the clients, whole requests passed on), as in production."""

    process: subprocess.Popen
    port: int
    server: Server

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def app_cpu(self) -> float:
        return self.server.app_cpu()

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=20)


def start_proxy(server: Server) -> Proxy:
    spec = importlib.util.spec_from_file_location("deploy_check", ROOT / "deploy" / "check.py")
    deploy = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(deploy)
    tmp = Path(tempfile.mkdtemp(prefix="motcua-bench-nginx-"))
    port = free_port()
    deploy.write_site(tmp, free_port(), port, server.port)
    process = deploy.start_nginx(shutil.which("nginx") or "/usr/sbin/nginx", tmp)
    deploy.wait_for(port)
    return Proxy(process, port, server)


LUA = """
wrk.method = "{method}"
wrk.body = [[{body}]]
wrk.headers["Content-Type"] = "application/json"
{headers}
{think}
function done(summary, latency, requests)
  io.write(string.format("P95_US %d\\n", latency:percentile(95)))
end
"""

# Each connection is a person: after a page arrives they read it for a while (uniformly
# between half and one and a half of ``think_ms``) before they ask for the next one.
THINK = """
local threads = 0
function setup(thread) threads = threads + 1; thread:set("id", threads) end
function init(args) math.randomseed(os.time() * 100 + id) end
function delay() return math.random({low}, {high}) end
"""


@dataclass
class Run:
    label: str
    concurrency: int
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    failures: int
    app_cpu_ms: float
    db_cpu_ms: float
    p95_ms: float = 0.0
    think_ms: int = 0

    @property
    def cpu_ms(self) -> float:
        return self.app_cpu_ms + self.db_cpu_ms

    def line(self) -> str:
        users = f"u={self.concurrency:<3d}" if self.think_ms else f"c={self.concurrency:<3d}"
        return (
            f"{self.label:28s} {users} {self.rps:7.0f} req/s  "
            f"p50 {self.p50_ms:6.1f} ms  p95 {self.p95_ms:6.1f} ms  p99 {self.p99_ms:7.1f} ms  "
            f"CPU/req {self.cpu_ms:5.2f} ms "
            f"(app {self.app_cpu_ms:5.2f}, db {self.db_cpu_ms:4.2f})  "
            f"failures {self.failures}  n={self.requests}"
        )


def parse_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    if match is None:
        raise ValueError(f"wrk printed a latency this bench cannot read: {text!r}")
    number, unit = match.groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000, "h": 3600000}[unit]


def load(
    server: Server | Proxy,
    path: str,
    *,
    label: str,
    concurrency: int,
    seconds: int,
    method: str = "GET",
    body: str = "",
    headers: dict | None = None,
    db_cpu=lambda: 0.0,
    think_ms: int = 0,
) -> Run:
    """Run wrk against ``path`` for ``seconds`` with ``concurrency`` connections: each sends
    its next request as soon as the last is answered (a closed loop, the server always busy),
    or, with ``think_ms``, after its person has read the page (see ``THINK``)."""
    lines = "\n".join(f'wrk.headers["{k}"] = "{v}"' for k, v in (headers or {}).items())
    think = THINK.format(low=think_ms // 2, high=think_ms * 3 // 2) if think_ms else ""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA.format(method=method, body=body, headers=lines, think=think))
    app0, db0 = server.app_cpu(), db_cpu()
    out = subprocess.run(
        [
            "wrk",
            f"-t{min(2, concurrency)}",
            f"-c{concurrency}",
            f"-d{seconds}s",
            "--latency",
            "--timeout",
            "30s",
            "-s",
            script.name,
            server.url + path,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    app1, db1 = server.app_cpu(), db_cpu()
    os.unlink(script.name)
    total = int(re.search(r"(\d+) requests in", out).group(1))
    if total == 0:
        raise RuntimeError(f"wrk completed no request:\n{out}")
    failures = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if errors:
        failures += sum(int(x) for x in errors.groups())
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    # the lines of the latency distribution ("     50%   12.34ms"), not a "+/- Stdev" share
    p50, p99 = (re.search(rf"^\s+{q}%\s+(\S+)\s*$", out, re.MULTILINE) for q in (50, 99))
    if p50 is None or p99 is None:
        raise RuntimeError(f"wrk printed no latency distribution:\n{out}")
    p50, p99 = parse_ms(p50.group(1)), parse_ms(p99.group(1))
    p95 = int(re.search(r"^P95_US (\d+)$", out, re.MULTILINE).group(1)) / 1000
    n = max(total, 1)
    return Run(
        label,
        concurrency,
        total,
        rps,
        p50,
        p99,
        failures,
        1000 * (app1 - app0) / n,
        1000 * (db1 - db0) / n,
        p95,
        think_ms,
    )


def postgres_backend_cpu(database: str):
    """A function giving the CPU seconds of the PostgreSQL backends connected to ``database``
    (found in pg_stat_activity at each call; the workers keep their connections)."""
    import psycopg

    seen: dict[int, float] = {}

    def measure() -> float:
        with psycopg.connect(f"dbname={database} user=postgres host=127.0.0.1") as conn:
            pids = [
                row[0]
                for row in conn.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> "
                    "pg_backend_pid()",
                    [database],
                )
            ]
        for pid in pids:
            seen[pid] = cpu_seconds(pid) or seen.get(pid, 0.0)
        return sum(seen.values())

    return measure


def machine_load() -> str:
    return "load average " + ", ".join(Path("/proc/loadavg").read_text().split()[:3])
