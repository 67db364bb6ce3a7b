"""The bytes of the files a dossier from the national portal carries (TaiLieuNop): sent inline
in base64 (``NoiDung``) or fetched from the portal by their address (``DuongDanTaiTepTin``).

An address is fetched only from the configured portal itself (``MOTCUA_DVCQG_URL``: the same
scheme, host and port), with one plain GET that follows no redirect, within the connector's
timeout for the whole download and within the upload size limit; any other address is refused
before a connection is made, so a posted dossier cannot make this server call anywhere else
(no server-side request forgery). What the bytes are is checked afterwards like any upload
(:mod:`motcua.documents.files`).
"""

from __future__ import annotations

import base64
import binascii
import http.client
import time
from urllib.parse import SplitResult, urljoin, urlsplit

from django.conf import settings

from motcua.core.errors import DocumentError
from motcua.documents.files import FileRefused

CHUNK = 64 * 1024
SHOWN_URL = 120  # characters of a refused address repeated in the answer
DEFAULT_PORTS = {"http": 80, "https": 443}


class PortalFileUnavailable(DocumentError):
    """The portal did not hand over a file it named (network, timeout, an HTTP error)."""

    default_code = "portal_file_unavailable"


def size_limit() -> int:
    return settings.MOTCUA_MAX_UPLOAD_MB * 1024 * 1024


def too_big(name: str) -> FileRefused:
    return FileRefused(f"Tệp “{name}” lớn hơn {settings.MOTCUA_MAX_UPLOAD_MB} MB.")


def decode_content(text: str, name: str) -> bytes:
    """The bytes of a file sent in base64 (line breaks allowed; a ``data:…;base64,`` prefix
    too), refused when it is not base64 or decodes to more than the size limit."""
    text = text.strip()
    if text.startswith("data:") and ";base64," in text[:100]:
        text = text.split(",", 1)[1]
    text = "".join(text.split())
    if len(text) > (size_limit() // 3 + 1) * 4:
        raise too_big(name)
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise FileRefused(
            f"Nội dung tệp “{name}” (NoiDung) không phải chuỗi base64 hợp lệ."
        ) from None


def _origin(parts: SplitResult) -> tuple[str, str, int]:
    port = parts.port  # ValueError for a port that is not a number
    return parts.scheme, (parts.hostname or "").lower(), port or DEFAULT_PORTS.get(parts.scheme, 0)


def allowed_address(address: str, name: str) -> SplitResult:
    """The file's address, when it is on the configured portal (a path alone is taken as the
    portal's); anything else is refused here, before any connection."""
    base = settings.MOTCUA_DVCQG_URL
    if not base:
        raise FileRefused(
            f"Tệp “{name}”: chưa cấu hình kết nối Cổng DVCQG nên không tải tệp theo đường dẫn; "
            "hãy gửi nội dung tệp (NoiDung, base64)."
        )
    portal = urlsplit(base)
    shown = address if len(address) <= SHOWN_URL else address[:SHOWN_URL] + "…"
    refused = FileRefused(
        f"Đường dẫn tệp “{name}” ({shown}) không thuộc Cổng DVCQG đã cấu hình; chỉ tải tệp từ "
        f"{portal.scheme}://{portal.netloc}."
    )
    try:
        target = urlsplit(urljoin(base + "/", address.strip()))
        same = _origin(target) == _origin(portal)
    except ValueError:
        raise refused from None
    if (
        not same
        or target.scheme not in DEFAULT_PORTS
        or target.username is not None
        or target.password is not None
    ):
        raise refused
    return target


def fetch(address: str, name: str) -> bytes:
    """GET one file from the portal: 200 only (a redirect is not followed), within the
    timeout for the whole download and the size limit."""
    target = allowed_address(address, name)
    limit, timeout = size_limit(), settings.MOTCUA_DVCQG_TIMEOUT
    kind = http.client.HTTPSConnection if target.scheme == "https" else http.client.HTTPConnection
    connection = kind(target.hostname, target.port, timeout=timeout)
    path = (target.path or "/") + (f"?{target.query}" if target.query else "")
    headers = {"Accept": "application/pdf, image/jpeg, image/png"}
    if settings.MOTCUA_DVCQG_DSTCODE:
        headers["dstcode"] = settings.MOTCUA_DVCQG_DSTCODE
    deadline = time.monotonic() + timeout
    unavailable = f"Không tải được tệp “{name}” từ Cổng DVCQG"
    try:
        connection.request("GET", path, headers=headers)
        answer = connection.getresponse()
        if answer.status != 200:
            moved = ""
            if 300 <= answer.status < 400:
                moved = " (chuyển hướng sang địa chỉ khác: không theo)"
            raise PortalFileUnavailable(
                f"{unavailable}: Cổng trả lời mã HTTP {answer.status}{moved}. "
                "Không có gì được lưu; hãy gửi lại sau."
            )
        declared = answer.getheader("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise too_big(name)
        data = bytearray()
        while chunk := answer.read1(CHUNK):
            data += chunk
            if len(data) > limit:
                raise too_big(name)
            if time.monotonic() > deadline:
                raise PortalFileUnavailable(
                    f"{unavailable}: quá {timeout:g} giây. Không có gì được lưu; hãy gửi lại sau."
                )
    except (OSError, http.client.HTTPException) as exc:
        raise PortalFileUnavailable(
            f"{unavailable} (lỗi kết nối). Không có gì được lưu; hãy gửi lại sau."
        ) from exc
    finally:
        connection.close()
    return bytes(data)


def file_bytes(name: str, content: str, address: str) -> bytes:
    """The bytes of one TaiLieuNop entry: its inline content if it has one, else fetched."""
    if content.strip():
        return decode_content(content, name)
    if address.strip():
        return fetch(address, name)
    raise FileRefused(
        f"Tệp “{name}” không có nội dung (NoiDung, base64) hay đường dẫn (DuongDanTaiTepTin)."
    )
