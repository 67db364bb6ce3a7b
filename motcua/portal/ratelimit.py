"""A small fixed-window limit on failed look-ups (per client address, or per any subject such
as a dossier code), against guessing.

Only failures count: a citizen who finds their dossier, or follows the link of their message
again and again, is never slowed down; someone trying codes and phone digits is. The windows
are aligned on the clock, so the page can say when the next one starts. The counts are rows
of the database (``motcua.accounts.throttle``), so every worker sees the same ones, and the
address is the client's, not what it claims (``client_address``: forwarding headers only from
``MOTCUA_TRUSTED_PROXIES``).
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings

from motcua.accounts import throttle
from motcua.accounts.throttle import client_address


def blocked_until(
    request, scope: str, *, limit: int, window: int, subject: str | None = None
) -> datetime | None:
    """The end of the current window when ``limit`` failures of ``subject`` (by default the
    client's address) were counted in it, else None."""
    subject = client_address(request) if subject is None else subject
    if throttle.failures(scope, subject, window=window) < limit:
        return None
    return throttle.window_end(window)


def count_failure(request, scope: str, *, window: int, subject: str | None = None) -> None:
    subject = client_address(request) if subject is None else subject
    throttle.count_failure(scope, subject, window=window)


# -- the online form's daily upload quota per address (issue 13, M7) ----------------------------

UPLOAD_SCOPE = "upload_kb"
DAY = 24 * 3600


def upload_refused_until(request, incoming_bytes: int) -> datetime | None:
    """When the address may upload again, if ``incoming_bytes`` more would pass its day's
    quota (``MOTCUA_UPLOAD_QUOTA_MB_PER_DAY``), else None."""
    quota_kb = settings.MOTCUA_UPLOAD_QUOTA_MB_PER_DAY * 1024
    used_kb = throttle.failures(UPLOAD_SCOPE, client_address(request), window=DAY)
    if used_kb + kilobytes(incoming_bytes) <= quota_kb:
        return None
    return throttle.window_end(DAY)


def count_upload(request, incoming_bytes: int) -> None:
    if incoming_bytes:
        throttle.count_failure(
            UPLOAD_SCOPE, client_address(request), window=DAY, amount=kilobytes(incoming_bytes)
        )


def kilobytes(size: int) -> int:
    return -(-size // 1024)
