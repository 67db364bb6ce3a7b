"""A small fixed-window limit on failed look-ups (per client address), against guessing.

Only failures count: a citizen who finds their dossier, or follows the link of their message
again and again, is never slowed down; someone trying codes and phone digits is. The windows
are aligned on the clock, so the page can say when the next one starts.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.core.cache import cache


def client_address(request) -> str:
    """The client's address (behind nginx, set ``X-Real-IP``; see docs/operations.md)."""
    return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR", "")


def _key(request, scope: str, window: int, now: float) -> str:
    return f"rl:{scope}:{int(now // window)}:{client_address(request)}"


def blocked_until(request, scope: str, *, limit: int, window: int) -> datetime | None:
    """The end of the current window when ``limit`` failures were counted in it, else None."""
    now = datetime.now(UTC).timestamp()
    if (cache.get(_key(request, scope, window, now)) or 0) < limit:
        return None
    return datetime.fromtimestamp((now // window + 1) * window, UTC)


def count_failure(request, scope: str, *, window: int) -> None:
    key = _key(request, scope, window, datetime.now(UTC).timestamp())
    if not cache.add(key, 1, timeout=window):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=window)
