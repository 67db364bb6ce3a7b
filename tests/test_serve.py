"""`motcua serve` (what `make run` starts): the web server and the background worker together;
one Ctrl+C stops both."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

pytestmark = pytest.mark.browser  # a real server process: with the slow end-to-end tests


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> dict[int, str]:
    out = subprocess.run(
        ["ps", "--ppid", str(pid), "-o", "pid=,args="], capture_output=True, text=True
    )
    rows = (line.strip().split(None, 1) for line in out.stdout.splitlines() if line.strip())
    return {int(child): args for child, args in rows}


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_serve_runs_the_web_server_and_the_worker_and_stops_both(tmp_path):
    env = {**os.environ, "MOTCUA_DATA_DIR": str(tmp_path / "data")}
    env.pop("DATABASE_URL", None)
    motcua = [sys.executable, "-m", "motcua"]
    subprocess.run([*motcua, "migrate", "-v", "0"], env=env, check=True)
    port = free_port()
    server = subprocess.Popen(
        [*motcua, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline, status = time.monotonic() + 120, None
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/thu-tuc/", timeout=5) as r:
                    status = r.status
                    break
            except OSError:
                time.sleep(0.5)
        assert status == 200
        # production-shaped: the collected, hashed stylesheet served; no debug page
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/thu-tuc/", timeout=5) as r:
            page = r.read().decode()
        css = re.search(r'href="(/static/motcua/app\.[0-9a-f]{12}\.css)"', page)
        assert css, "the stylesheet's hashed name (collectstatic ran)"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{css.group(1)}", timeout=5) as r:
            assert r.status == 200 and b"font" in r.read()
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/khong-co-trang-nay/", timeout=5)
        body = missing.value.read().decode()
        assert missing.value.code == 404 and "Technical" not in body and "Không tìm thấy" in body
        assert (tmp_path / "data" / "secret.key").exists()
        running = children(server.pid)
        assert any("gunicorn" in c for c in running.values())
        assert any("worker" in c.split() for c in running.values())
        assert any("checkpoint" in c for c in running.values())
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=30) == 0
        time.sleep(0.5)
        assert [pid for pid in running if alive(pid)] == []
    finally:
        if server.poll() is None:
            server.kill()
