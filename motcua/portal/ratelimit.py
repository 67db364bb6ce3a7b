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
