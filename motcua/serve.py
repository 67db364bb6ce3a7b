"""`motcua serve`: the web server and the background worker together, one command, one Ctrl+C.

The web server is gunicorn (sync workers), after ``collectstatic`` — or Django's runserver with
``--dev``, for code that reloads as it is edited — and the worker is ``motcua worker``
(django-tasks' ``db_worker`` that first takes up what a killed worker left), which sends the
citizens' messages, runs OCR and pushes to the national portal after each commit; with the
portal connector on, another process sweeps the portal's outbox every 30 s (its retries); one
more signs the audit log's checkpoints (docs/audit.md), and another purges what citizens leave
behind (``motcua purge``). If one stops, the others are stopped too and the command exits with
its code, so a supervisor (systemd, docs/operations.md) restarts them all.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path


def commands(host: str, port: int, workers: int, dev: bool) -> dict[str, list[str]]:
    motcua = [sys.executable, "-m", "motcua"]
    if dev:
        web = [*motcua, "runserver", f"{host}:{port}"]
    else:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        web = [
            str(gunicorn) if gunicorn.exists() else "gunicorn",
            "--workers",
            str(workers),
            "--bind",
            f"{host}:{port}",
            "--access-logfile",
            "-",
            "motcua.wsgi:application",
        ]
    children = {
        "máy chủ web": web,
        "tiến trình nền": [*motcua, "worker", "--interval", "1"],
        # the audit log's signed checkpoints, every MOTCUA_AUDIT_CHECKPOINT_HOURS (docs/audit.md)
        "điểm kiểm tra nhật ký": [*motcua, "audit", "checkpoint", "--loop"],
        # unconfirmed online submissions, held and orphan files: hourly (docs/security.md §6)
        "dọn dữ liệu": [*motcua, "purge", "--loop"],
    }
    fake = os.environ.get("MOTCUA_DVCQG_FAKE_PORT", "").strip()
    if fake:  # `make run DVCQG=fake`: the demo beside a FAKE national portal (docs/portal.md)
        children["Cổng DVCQG GIẢ LẬP"] = [
            *motcua,
            "dvcqg",
            "fake-portal",
            "--port",
            fake,
            "--catalogue-from-db",
        ]
    if os.environ.get("MOTCUA_DVCQG_URL", "").strip():
        # The national portal's outbox: retries and anything a lost task left (docs/portal.md).
        children["đồng bộ Cổng DVCQG"] = [*motcua, "dvcqg", "push", "--loop", "--interval", "30"]
    return children


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="motcua serve",
        description="Chạy máy chủ web và tiến trình nền (gửi thông báo, nhận dạng chữ) cùng lúc.",
    )
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "3")))
    parser.add_argument("--dev", action="store_true", help="runserver thay cho gunicorn")
    args = parser.parse_args(argv)
    env = {**os.environ}
    env.setdefault("MOTCUA_PUBLIC_URL", f"http://{args.host}:{args.port}")
    if not args.dev:  # gunicorn serves the collected, hashed copies (whitenoise)
        subprocess.run(
            [sys.executable, "-m", "motcua", "collectstatic", "--no-input", "-v", "0"],
            env=env,
            check=True,
        )
    children = {
        name: subprocess.Popen(command, env=env)
        for name, command in commands(args.host, args.port, args.workers, args.dev).items()
    }
    stopping = False

    def stop(*_signal) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    code = 0
    try:
        while not stopping:
            for name, child in children.items():
                if child.poll() is not None:
                    print(f"motcua serve: {name} đã dừng (mã {child.returncode}).", file=sys.stderr)
                    code = child.returncode or 1
                    stopping = True
            time.sleep(0.3)
    finally:
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for child in children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
    return code
