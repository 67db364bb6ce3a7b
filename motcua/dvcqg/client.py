"""The HTTP client of the national portal's integration API (docs/portal.md).

One :class:`Connector` keeps one HTTP connection open (keep-alive) and the session token it
got at log-in; a call the portal does not accept is tried once more after a fresh log-in (a
token the portal has dropped looks like any refusal). Errors are one family with Vietnamese
messages: :class:`Unreachable` (network, timeout, HTTP error: retry later), :class:`LoginRefused`
(wrong user name, password or routing code: an official must act), :class:`Refused` (the
portal read the call and said no: its answer is kept).
"""

from __future__ import annotations

import http.client
import json
import logging
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from motcua.core.dvcqg import accepted, answer_message, not_found

log = logging.getLogger("motcua.dvcqg")


class PortalError(Exception):
    def __init__(self, message: str, answer: object = None):
        super().__init__(message)
        self.message = message
        self.answer = answer


class Unreachable(PortalError):
    """The portal could not be reached or did not answer in JSON: try again later."""


class LoginRefused(PortalError):
    """The portal refused the log-in (user name, password or routing code)."""


class Refused(PortalError):
    """The portal answered the call with an error code."""


@dataclass(frozen=True)
class PortalConfig:
    base: str
    auth_path: str
    integration_path: str
    share_path: str
    username: str
    password: str
    dstcode: str
    timeout: float

    @classmethod
    def from_settings(cls) -> PortalConfig:
        return cls(
            base=settings.MOTCUA_DVCQG_URL,
            auth_path=settings.MOTCUA_DVCQG_AUTH_PATH,
            integration_path=settings.MOTCUA_DVCQG_INTEGRATION_PATH,
            share_path=settings.MOTCUA_DVCQG_SHARE_PATH,
            username=settings.MOTCUA_DVCQG_USERNAME,
            password=settings.MOTCUA_DVCQG_PASSWORD,
            dstcode=settings.MOTCUA_DVCQG_DSTCODE,
            timeout=settings.MOTCUA_DVCQG_TIMEOUT,
        )


# The session token of each configuration, kept for the process: one log-in serves every pass
# until the portal drops it.
_TOKENS: dict[PortalConfig, str] = {}


def forget_sessions() -> None:
    """Drop every kept session token (a test's new FAKE portal may reuse an old one's port)."""
    _TOKENS.clear()


def connector_on() -> bool:
    """The connector runs when the portal's address is configured."""
    return bool(settings.MOTCUA_DVCQG_URL)


class Connector:
    def __init__(self, config: PortalConfig | None = None):
        self.config = config or PortalConfig.from_settings()
        parts = urlsplit(self.config.base)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise Unreachable("Địa chỉ Cổng DVCQG (MOTCUA_DVCQG_URL) chưa đúng dạng http(s)://…")
        self._scheme, self._host, self._port = parts.scheme, parts.hostname, parts.port
        self._prefix = parts.path.rstrip("/")
        self._conn: http.client.HTTPConnection | None = None
        self.calls = 0

    @property
    def token(self) -> str | None:
        return _TOKENS.get(self.config)

    @token.setter
    def token(self, value: str | None) -> None:
        if value is None:
            _TOKENS.pop(self.config, None)
        else:
            _TOKENS[self.config] = value

    # --- HTTP ----------------------------------------------------------------------------

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            https = self._scheme == "https"
            kind = http.client.HTTPSConnection if https else http.client.HTTPConnection
            self._conn = kind(self._host, self._port, timeout=self.config.timeout)
            self._conn.connect()
            # Headers and body go out as two writes: without this, Nagle's algorithm holds the
            # body until the server's delayed ACK (40 ms a call).
            self._conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _post(self, path: str, body: dict) -> object:
        data = json.dumps(body, ensure_ascii=False).encode()
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json",
            "dstcode": self.config.dstcode,
        }
        for attempt in (1, 2):  # a kept-alive connection the server closed: reconnect once
            try:
                conn = self._connection()
                conn.request("POST", self._prefix + path, body=data, headers=headers)
                response = conn.getresponse()
                raw = response.read()
                break
            except (http.client.HTTPException, OSError) as exc:
                self.close()
                if attempt == 2:
                    # The technical cause goes to the log; officials read the sentence.
                    log.warning("Cổng DVCQG %s: %s: %s", self._host, type(exc).__name__, exc)
                    timeout = isinstance(exc, TimeoutError)
                    raise Unreachable(
                        "Không kết nối được Cổng DVCQG"
                        + (" (quá thời gian chờ trả lời)." if timeout else ".")
                    ) from exc
        self.calls += 1
        if response.status >= 500 or response.status in (404, 405):
            raise Unreachable(f"Cổng DVCQG trả lời lỗi HTTP {response.status}.")
        try:
            return json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise Unreachable(
                f"Cổng DVCQG trả lời không phải JSON (HTTP {response.status})."
            ) from exc

    # --- the protocol ----------------------------------------------------------------------

    def login(self) -> str:
        answer = self._post(
            self.config.auth_path,
            {"username": self.config.username, "password": self.config.password},
        )
        token = answer.get("session") if isinstance(answer, dict) else None
        if not accepted(answer) or not isinstance(token, str) or not token:
            self.token = None
            raise LoginRefused(
                "Cổng DVCQG từ chối đăng nhập: kiểm tra tên đăng nhập, mật khẩu và mã định "
                f"tuyến (dstcode) của kết nối. Cổng trả lời: {answer_message(answer)}",
                answer,
            )
        self.token = token
        return token

    def call(self, body: dict, *, share: bool = False) -> dict:
        """Send one call (``body`` without the session); return the accepted answer."""
        path = self.config.share_path if share else self.config.integration_path
        fresh = False
        if self.token is None:
            self.login()
            fresh = True
        answer = self._post(path, {"session": self.token, **body})
        if not accepted(answer) and not fresh and not not_found(answer):
            # The token may have expired (the portal's signal for it is not documented): once
            # more with a new one — but "no such dossier" is an answer, not a session problem.
            self.login()
            answer = self._post(path, {"session": self.token, **body})
        if not accepted(answer):
            raise Refused(answer_message(answer), answer)
        return answer

    def result(self, body: dict, *, share: bool = False) -> object:
        """An accepted call's ``result`` (or ``data``)."""
        answer = self.call(body, share=share)
        return answer.get("result", answer.get("data"))
