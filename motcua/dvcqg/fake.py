"""A FAKE national portal for tests and demos — not the portal, and never to be mistaken for it.

It speaks the protocol of docs/portal.md on loopback only (``motcua dvcqg fake-portal``):
log-in with a session token, DongBoHoSoMC (an upsert by MaHoSo), CapNhatTienDoHoSoMC (a step,
refused before the dossier's upsert, applied once however often it is sent), TraCuuHoSo, and
the catalogue calls. It keeps what it receives in memory and answers control calls under
``/_fake/``: ``GET state`` (what it holds), ``POST fail`` (``{"count": N, "mode": "error" |
"http500" | "drop"}``: fail the next N calls), ``POST delay`` (``{"seconds": s}`` per call),
``POST expire`` (drop every session), ``POST catalogue`` (its procedures), ``POST reset``.

Its catalogue is served as given: LayDanhSachTTHC lists each procedure's MaTTHC, TenTTHC,
MaLinhVuc and TenLinhVuc, LayThuTuc answers the whole entry. What the connector reads of an
entry (``motcua dvcqg pull-catalogue``) is named in motcua.core.portal_catalogue.FIELD_NAMES,
e.g. ``{"MaTTHC": "1.001193", "TenTTHC": "Đăng ký khai sinh", "TenLinhVuc": "Hộ tịch",
"ThoiHanGiaiQuyet": 0, "DonViThoiHan": "Ngày làm việc", "DanhSachLePhi": [{"TenPhiLePhi":
"Lệ phí", "Gia": 0}], "MucDo": "Toàn trình", "CapThucHien": "Cấp xã"}``.

Pure standard library, no Django: it runs beside the system, in a thread of a test, or alone.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOOPBACK = ("127.0.0.1", "::1", "localhost")
REQUIRED = ("MaHoSo", "MaTTHC", "TrangThaiHoSo", "NgayTiepNhan")
STEP_REQUIRED = ("MaHoSo", "TrangThai", "ThoiDiemXuLy")
DEFAULT_CATALOGUE: list[dict] = []


def step_key(step: dict) -> tuple:
    """What makes two progress steps the same step (a re-sent one is applied once)."""
    return (
        step.get("MaHoSo"),
        step.get("TrangThai"),
        step.get("ThoiDiemXuLy"),
        step.get("NoiDungXuLy"),
    )


class FakePortalState:
    def __init__(
        self,
        *,
        username="motcua",
        password="matkhau-gia",
        dstcode="FAKE",
        auth_path="/api/auth/login",
        integration_path="/api/integration/dvcqg",
        share_path="/api/share/dvcqg",
        catalogue=None,
    ):
        self.lock = threading.Lock()
        self.username, self.password, self.dstcode = username, password, dstcode
        self.auth_path, self.integration_path = auth_path, integration_path
        self.share_path = share_path
        self.catalogue = list(catalogue or DEFAULT_CATALOGUE)
        self.reset()

    def reset(self) -> None:
        self.sessions: set[str] = set()
        self.dossiers: dict[str, dict] = {}
        self.agencies: dict[str, str] = {}
        self.steps: dict[str, list[dict]] = {}
        self.keys: set[tuple] = set()
        self.calls: list[dict] = []  # every integration call received: service, MaHoSo, outcome
        self.duplicates = 0
        self.logins = 0
        self.fail_count = 0
        self.fail_mode = "error"
        self.delay = 0.0

    def snapshot(self) -> dict:
        return {
            "FAKE": "Cổng DVCQG giả lập — không phải Cổng thật",
            "dossiers": self.dossiers,
            "agencies": self.agencies,
            "steps": self.steps,
            "calls": self.calls,
            "duplicates": self.duplicates,
            "logins": self.logins,
            "sessions": len(self.sessions),
        }

    # --- the protocol ----------------------------------------------------------------------

    def login(self, body: dict) -> dict:
        self.logins += 1
        if body.get("username") == self.username and body.get("password") == self.password:
            token = secrets.token_hex(16)
            self.sessions.add(token)
            return {"error_code": 0, "session": token}
        return {"error_code": "401", "message": "Sai tên đăng nhập hoặc mật khẩu (giả lập)."}

    def integration(self, body: dict) -> dict:
        if body.get("session") not in self.sessions:
            return {"error_code": "-2", "message": "Phiên đăng nhập không hợp lệ hoặc đã hết hạn."}
        service = body.get("service")
        if service == "DongBoHoSoMC":
            return self.upsert(body)
        if service == "CapNhatTienDoHoSoMC":
            return self.progress(body)
        if service == "TraCuuHoSo":
            found = self.dossiers.get(str(body.get("mahoso", "")))
            if found is None:
                return {"error_code": "-1", "message": "Không tìm thấy hồ sơ."}
            code = found["MaHoSo"]
            return {"error_code": 0, "result": {**found, "TienDo": self.steps.get(code, [])}}
        return {"error_code": "-3", "message": f"Không có dịch vụ {service!r}."}

    def upsert(self, body: dict) -> dict:
        madonvi = body.get("madonvi")
        items = body.get("data")
        if not madonvi or not isinstance(items, list) or not items:
            return {"error_code": "-4", "message": "Thiếu madonvi hoặc data."}
        if body.get("isUpdating") not in ("True", "False"):
            return {"error_code": "-4", "message": 'isUpdating phải là "True" hoặc "False".'}
        for item in items:
            missing = [k for k in REQUIRED if not isinstance(item, dict) or not item.get(k)]
            if missing:
                return {"error_code": "-5", "message": f"Thiếu trường: {', '.join(missing)}."}
            status = str(item["TrangThaiHoSo"])
            if not status.isdigit() or not 1 <= int(status) <= 10:
                return {"error_code": "-5", "message": f"TrangThaiHoSo {status!r} không hợp lệ."}
        for item in items:
            code = item["MaHoSo"]
            self.dossiers[code] = {**self.dossiers.get(code, {}), **item}
            self.agencies[code] = madonvi
            self.calls.append(
                {
                    "service": "DongBoHoSoMC",
                    "MaHoSo": code,
                    "TrangThaiHoSo": str(item["TrangThaiHoSo"]),
                    "isUpdating": body["isUpdating"],
                }
            )
        return {"error_code": 0, "message": "Thành công"}

    def progress(self, body: dict) -> dict:
        items = body.get("data")
        if not isinstance(items, list) or not items:
            return {"error_code": "-4", "message": "Thiếu data."}
        for item in items:
            missing = [k for k in STEP_REQUIRED if not isinstance(item, dict) or not item.get(k)]
            if missing:
                return {"error_code": "-5", "message": f"Thiếu trường: {', '.join(missing)}."}
            if item["MaHoSo"] not in self.dossiers:
                return {
                    "error_code": "-6",
                    "message": f"Hồ sơ {item['MaHoSo']} chưa được đồng bộ lên Cổng.",
                }
        for item in items:
            key = step_key(item)
            duplicate = key in self.keys
            if duplicate:
                self.duplicates += 1
            else:
                self.keys.add(key)
                self.steps.setdefault(item["MaHoSo"], []).append(item)
            self.calls.append(
                {
                    "service": "CapNhatTienDoHoSoMC",
                    "MaHoSo": item["MaHoSo"],
                    "TrangThai": str(item["TrangThai"]),
                    "duplicate": duplicate,
                }
            )
        return {"error_code": 0, "message": "Thành công"}

    def share(self, body: dict) -> dict:
        if body.get("session") not in self.sessions:
            return {"error_code": "-2", "message": "Phiên đăng nhập không hợp lệ hoặc đã hết hạn."}
        service = body.get("service")
        if service == "LayDanhSachTTHC":
            return {
                "error_code": 0,
                "result": [
                    {k: p.get(k) for k in ("MaTTHC", "TenTTHC", "MaLinhVuc", "TenLinhVuc")}
                    for p in self.catalogue
                ],
            }
        if service == "LayThuTuc":
            for p in self.catalogue:
                if p.get("MaTTHC") == body.get("maTTHC"):
                    return {"error_code": 0, "result": p}
            return {"error_code": "-1", "message": "Không tìm thấy thủ tục."}
        if service == "LayDanhMucLinhVuc":
            fields = {p.get("MaLinhVuc"): p.get("TenLinhVuc") for p in self.catalogue}
            return {
                "error_code": 0,
                "result": [{"MaLinhVuc": k, "TenLinhVuc": v} for k, v in sorted(fields.items())],
            }
        if service == "LayDanhMucCoQuan":
            return {
                "error_code": 0,
                "result": [
                    {"MaCoQuan": code, "TenCoQuan": code}
                    for code in sorted(set(self.agencies.values()))
                ],
            }
        return {"error_code": "-3", "message": f"Không có dịch vụ {service!r}."}


class Handler(BaseHTTPRequestHandler):
    server_version = "FakeDVCQG/1"
    protocol_version = "HTTP/1.1"
    # The headers and the body go out in two writes: without TCP_NODELAY a kept-alive client
    # waits for its delayed ACK (~40 ms) on every call.
    disable_nagle_algorithm = True

    @property
    def state(self) -> FakePortalState:
        return self.server.state

    def log_message(self, format, *args):  # quiet: tests read the state, not a log
        return

    def _reply(self, status: int, body: object) -> None:
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> object:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            return json.loads(raw.decode("utf-8")) if raw else {}
        except (UnicodeDecodeError, ValueError):
            return None

    def do_GET(self):
        if self.path.rstrip("/") == "/_fake/state":
            with self.state.lock:
                return self._reply(200, self.state.snapshot())
        return self._reply(404, {"error_code": "404", "message": "Không có đường dẫn này."})

    def do_POST(self):
        body = self._body()
        state = self.state
        if self.path.startswith("/_fake/"):
            return self._control(self.path[len("/_fake/") :].rstrip("/"), body or {})
        if body is None or not isinstance(body, dict):
            return self._reply(400, {"error_code": "400", "message": "Dữ liệu không phải JSON."})
        with state.lock:
            # "error" is the portal refusing a call; a log-in still works. The network
            # failures ("drop", "http500") hit every request.
            mode = state.fail_mode
            failing = state.fail_count > 0 and (mode != "error" or self.path != state.auth_path)
            if failing:
                state.fail_count -= 1
            delay = state.delay
        if delay:
            time.sleep(delay)
        if failing:
            if mode == "drop":
                self.close_connection = True
                self.connection.shutdown(2)
                return None
            if mode == "http500":
                return self._reply(500, {"error_code": "500", "message": "Lỗi máy chủ (giả lập)."})
            return self._reply(200, {"error_code": "99", "message": "Cổng đang bận (giả lập)."})
        if self.headers.get("dstcode") != state.dstcode:
            return self._reply(200, {"error_code": "403", "message": "Sai mã định tuyến dstcode."})
        with state.lock:
            if self.path == state.auth_path:
                return self._reply(200, state.login(body))
            if self.path == state.integration_path:
                return self._reply(200, state.integration(body))
            if self.path == state.share_path:
                return self._reply(200, state.share(body))
        return self._reply(404, {"error_code": "404", "message": "Không có đường dẫn này."})

    def _control(self, name: str, body: dict):
        state = self.state
        with state.lock:
            if name == "fail":
                state.fail_count = int(body.get("count", 1))
                state.fail_mode = str(body.get("mode", "error"))
            elif name == "delay":
                state.delay = float(body.get("seconds", 0))
            elif name == "expire":
                state.sessions.clear()
            elif name == "catalogue":
                state.catalogue = list(body.get("procedures", []))
            elif name == "reset":
                state.reset()
            else:
                return self._reply(404, {"error_code": "404", "message": "Không có lệnh này."})
        return self._reply(200, {"error_code": 0})


class FakePortal(ThreadingHTTPServer):
    """``FakePortal(port=0)`` listens on 127.0.0.1 (a free port when 0); ``url`` is its base."""

    daemon_threads = True

    def __init__(self, port: int = 0, host: str = "127.0.0.1", **options):
        if host not in LOOPBACK:
            raise ValueError("Cổng DVCQG giả lập chỉ chạy trên máy này (127.0.0.1).")
        super().__init__((host, port), Handler)
        self.state = FakePortalState(**options)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakePortal:
        threading.Thread(target=self.serve_forever, daemon=True, name="fake-dvcqg").start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
