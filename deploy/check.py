"""``make deploy-check``: run the production set-up of deploy/ on this machine — gunicorn with
deploy/motcua.env's settings, behind nginx with deploy/nginx-motcua.conf (TLS with a throw-away
self-signed certificate, ports on loopback) — and check through nginx what a citizen's browser
and an attacker would see. Prints one line per check; exits 1 if any fails.

    .venv/bin/python deploy/check.py [--keep]     (--keep: leave the temporary directory)

The nginx site tested is the shipped file, with only its ports, certificate paths and upstream
address replaced. SQLite in a temporary data directory unless DATABASE_URL is set.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env_file() -> dict[str, str]:
    values = {}
    for line in (HERE / "motcua.env").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            name, value = line.split("=", 1)
            values[name] = value
    return values


def site_config(tmp: Path, http_port: int, https_port: int, app_port: int) -> str:
    """deploy/nginx-motcua.conf with this run's ports, certificate and upstream."""
    text = (HERE / "nginx-motcua.conf").read_text(encoding="utf-8")
    text = text.replace("listen [::]:80;", "").replace("listen [::]:443 ssl http2;", "")
    text = text.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    text = text.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
    text = text.replace("/etc/ssl/motcua/fullchain.pem", str(tmp / "cert.pem"))
    text = text.replace("/etc/ssl/motcua/privkey.pem", str(tmp / "key.pem"))
    text = text.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};")
    text = text.replace("server_name motcua.example.gov.vn;", "server_name 127.0.0.1 localhost;")
    return text


def nginx_main(tmp: Path, site: Path) -> str:
    mime = "/etc/nginx/mime.types"
    return f"""
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log;
events {{ worker_connections 256; }}
http {{
    {"include " + mime + ";" if Path(mime).exists() else ""}
    access_log {tmp}/nginx-access.log;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {site};
}}
"""


def write_site(tmp: Path, http_port: int, https_port: int, app_port: int) -> None:
    """In ``tmp``: a throw-away self-signed certificate, the shipped site with this run's
    ports (:func:`site_config`) and the ``nginx.conf`` that serves it (also bench/load.py's)."""
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"),
            *("-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"),
            *("-keyout", str(tmp / "key.pem"), "-out", str(tmp / "cert.pem")),
        ],
        check=True,
        capture_output=True,
    )
    site = tmp / "motcua-site.conf"
    site.write_text(site_config(tmp, http_port, https_port, app_port), encoding="utf-8")
    (tmp / "nginx.conf").write_text(nginx_main(tmp, site), encoding="utf-8")


def start_nginx(nginx: str, tmp: Path) -> subprocess.Popen:
    """nginx in the foreground with ``tmp``'s configuration (:func:`write_site`)."""
    return subprocess.Popen(
        [nginx, "-c", str(tmp / "nginx.conf"), "-p", str(tmp), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


class Checks:
    def __init__(self):
        self.failed = 0

    def check(self, what: str, ok: bool, seen: str = "") -> None:
        mark = "đạt " if ok else "LỖI"
        print(f"[{mark}] {what}" + (f" — {seen}" if seen else ""))
        self.failed += 0 if ok else 1


def wait_for(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"không có tiến trình nào nghe ở cổng {port} sau {seconds} giây")


def check_units(c: Checks, tmp: Path) -> None:
    """systemd-analyze verify on deploy/'s units, with the paths of this checkout."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        c.check("các unit systemd (chưa cài systemd-analyze: chưa kiểm tra)", True)
        return
    units = tmp / "units"
    units.mkdir()
    for unit in sorted([*HERE.glob("*.service"), *HERE.glob("*.timer")]):
        text = unit.read_text(encoding="utf-8")
        text = text.replace("/opt/motcua", str(ROOT))
        text = text.replace("/etc/motcua/motcua.env", str(HERE / "motcua.env"))
        text = text.replace("User=motcua", "User=root").replace("Group=motcua", "Group=root")
        (units / unit.name).write_text(text, encoding="utf-8")
    names = sorted(str(p) for p in units.iterdir())
    run = subprocess.run([analyze, "verify", *names], capture_output=True, text=True)
    said = (run.stdout + run.stderr).strip()
    c.check(
        f"systemd-analyze verify: {len(names)} unit hợp lệ",
        run.returncode == 0 and not said,
        said[:120],
    )


def main() -> int:
    keep = "--keep" in sys.argv
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        print("Chưa cài nginx: chạy scripts/setup.sh --deploy (make deploy-check tự chạy).")
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="motcua-deploy-"))
    http_port, https_port, app_port = free_port(), free_port(), free_port()
    write_site(tmp, http_port, https_port, app_port)

    origin = f"https://127.0.0.1:{https_port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")}
    env.update(env_file())
    env.update(
        {
            "MOTCUA_DATA_DIR": str(tmp / "data"),
            "MOTCUA_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "MOTCUA_CSRF_TRUSTED_ORIGINS": origin,
            "MOTCUA_PUBLIC_URL": origin,
        }
    )
    env.pop("MOTCUA_EMAIL_HOST", None)  # no mail server here: messages to the console
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["DATABASE_URL"]
    else:
        env.pop("DATABASE_URL", None)
    motcua = [str(PYTHON), "-m", "motcua"]
    for step in (["migrate", "--no-input", "-v", "0"], ["collectstatic", "--no-input", "-v", "0"]):
        subprocess.run([*motcua, *step], env=env, check=True, cwd=ROOT)
    subprocess.run(
        [*motcua, "shell", "-v", "0", "-c", CREATE_OFFICIAL], env=env, check=True, cwd=ROOT
    )
    app_log = open(tmp / "gunicorn.log", "w")  # closed at the end
    app = subprocess.Popen(
        [str(GUNICORN), "--workers", "2", "--bind", f"127.0.0.1:{app_port}", "motcua.wsgi"],
        env=env,
        cwd=ROOT,
        stdout=app_log,
        stderr=subprocess.STDOUT,
    )
    test = subprocess.run(
        [nginx, "-t", "-c", str(tmp / "nginx.conf"), "-p", str(tmp)],
        capture_output=True,
        text=True,
    )
    proxy = start_nginx(nginx, tmp)
    c = Checks()
    try:
        said = test.stderr.strip().splitlines()
        c.check("nginx -t chấp nhận deploy/nginx-motcua.conf", test.returncode == 0, said[-1][-60:])
        check_units(c, tmp)
        wait_for(app_port)
        wait_for(https_port)
        run_checks(c, tmp, http_port, https_port)
    finally:
        for child in (proxy, app):
            child.send_signal(signal.SIGTERM)
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
        app_log.close()
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print(f"(giữ lại {tmp})")
    print(f"{'Tất cả đạt' if not c.failed else f'{c.failed} mục LỖI'}.")
    return 1 if c.failed else 0


CREATE_OFFICIAL = """
from motcua.accounts.models import User
User.objects.filter(username="kiemtra").exists() or User.objects.create_user(
    "kiemtra", password="mat-khau-kiem-tra-2026", full_name="Cán bộ kiểm tra")
"""


def request(port, method, path, *, tls=True, cafile=None, headers=None, body=None):
    if tls:
        context = ssl.create_default_context(cafile=cafile)
        conn = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=20)
    else:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    conn.request(method, path, body=body, headers=headers or {})
    answer = conn.getresponse()
    data = answer.read()
    conn.close()
    return answer, data


def run_checks(c: Checks, tmp: Path, http_port: int, https_port: int) -> None:
    ca = str(tmp / "cert.pem")
    answer, _ = request(http_port, "GET", "/thu-tuc/", tls=False)
    c.check(
        "HTTP được chuyển sang HTTPS",
        answer.status == 301 and answer.getheader("Location", "").startswith("https://"),
        f"{answer.status} {answer.getheader('Location')}",
    )
    answer, page = request(https_port, "GET", "/thu-tuc/", cafile=ca)
    c.check("trang danh mục thủ tục qua TLS", answer.status == 200, str(answer.status))
    hsts = answer.msg.get_all("Strict-Transport-Security") or []
    c.check("HSTS một năm, gửi một lần", hsts == ["max-age=31536000"], ", ".join(hsts))
    csp = answer.getheader("Content-Security-Policy", "")
    c.check(
        "Content-Security-Policy được áp dụng (không chỉ báo cáo)", "default-src" in csp, csp[:70]
    )
    for name, want in (
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "same-origin"),
    ):
        c.check(f"{name}: {want}", answer.getheader(name, "") == want, answer.getheader(name, ""))
    server = answer.getheader("Server", "")
    c.check("không lộ phiên bản máy chủ", not re.search(r"\d", server), server)
    css = re.search(rb'href="(/static/motcua/app\.[0-9a-f]{12}\.css)"', page)
    c.check("tệp CSS đã được thu gom, tên có mã băm", bool(css))
    if css:
        answer, body = request(https_port, "GET", css.group(1).decode(), cafile=ca)
        cache = answer.getheader("Cache-Control", "")
        ok = answer.status == 200 and "max-age" in cache
        c.check("tệp CSS được phục vụ, lưu đệm lâu dài", ok, cache)
    answer, body = request(https_port, "GET", "/khong-co/", cafile=ca)
    text = body.decode("utf-8", "replace")
    c.check(
        "trang không tồn tại: trang 404 tiếng Việt, không có trang gỡ lỗi",
        answer.status == 404 and "Không tìm thấy" in text and "Traceback" not in text,
        str(answer.status),
    )
    answer, body = request(https_port, "GET", "/api/v1/dossiers/", cafile=ca)
    try:
        detail = json.loads(body)
    except ValueError:
        detail = {}
    c.check(
        "API không có mã truy cập: 401 bằng tiếng Việt",
        answer.status == 401 and "đăng nhập" in detail.get("detail", ""),
        f"{answer.status} {detail.get('code')}",
    )
    # log in: the cookies are Secure, and the official is sent to the second factor (all)
    answer, body = request(https_port, "GET", "/tai-khoan/dang-nhap/", cafile=ca)
    cookies = answer.msg.get_all("Set-Cookie") or []
    csrf = next((k for k in cookies if k.startswith("csrftoken=")), "")
    c.check("cookie CSRF có cờ Secure", "Secure" in csrf, csrf.split(";")[0][:20])
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    form = urllib.parse.urlencode(
        {"username": "kiemtra", "password": "mat-khau-kiem-tra-2026", "csrfmiddlewaretoken": token}
    )
    answer, _ = request(
        https_port,
        "POST",
        "/tai-khoan/dang-nhap/",
        cafile=ca,
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": csrf.split(";")[0],
            "Referer": f"https://127.0.0.1:{https_port}/tai-khoan/dang-nhap/",
        },
    )
    cookies = answer.msg.get_all("Set-Cookie") or []
    session = next((k for k in cookies if k.startswith("sessionid=")), "")
    c.check(
        "đăng nhập qua nginx: phiên có cờ Secure, HttpOnly",
        answer.status == 302 and "Secure" in session and "HttpOnly" in session,
        f"{answer.status} {session.split(';')[0][:18]}",
    )
    answer, _ = request(
        https_port,
        "GET",
        "/ho-so/",
        cafile=ca,
        headers={"Cookie": "; ".join(k.split(";")[0] for k in [session, csrf] if k)},
    )
    c.check(
        "hỏi xác thực hai lớp trước khi vào (MOTCUA_REQUIRE_MFA=all)",
        answer.status == 302 and "/xac-thuc-hai-lop/" in answer.getheader("Location", ""),
        answer.getheader("Location", ""),
    )
    # a forged X-Forwarded-For does not reach the application: nginx overwrites it
    for _ in range(5):
        request(
            https_port,
            "POST",
            "/api/v1/auth/token/",
            cafile=ca,
            body=json.dumps({"username": "kiemtra", "password": "sai"}),
            headers={"Content-Type": "application/json", "X-Forwarded-For": "203.0.113.9"},
        )
    time.sleep(0.5)
    log = (tmp / "gunicorn.log").read_text(encoding="utf-8", errors="replace")
    locked = [line for line in log.splitlines() if "kiemtra" in line]
    c.check(
        "X-Forwarded-For của máy khách bị nginx thay (nhật ký khoá ghi 127.0.0.1)",
        bool(locked) and "127.0.0.1" in locked[-1] and "203.0.113.9" not in log,
        locked[-1][-90:] if locked else "không thấy ghi khoá đăng nhập",
    )


if __name__ == "__main__":
    sys.exit(main())
