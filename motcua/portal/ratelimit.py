"""A small fixed-window rate limit on the cache (per client address), against guessing."""

from __future__ import annotations

from django.core.cache import cache


def client_address(request) -> str:
    """The client's address (behind nginx, set ``X-Real-IP``; see docs/operations.md)."""
    return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR", "")


def hit(request, scope: str, *, limit: int, window: int) -> bool:
    """Count one attempt; False when ``limit`` attempts were already made in ``window`` s."""
    key = f"rl:{scope}:{client_address(request)}"
    if cache.add(key, 1, timeout=window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return True
    return count <= limit
