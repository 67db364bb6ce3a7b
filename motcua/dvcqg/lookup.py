"""What the portal holds for each of our dossiers (TraCuuHoSo), for a reconciliation through
the connector (``motcua reconcile --from-portal``): one call per dossier, in order, on the
integration path. A dossier the portal does not know (its answer says "Không tìm thấy") is
kept as None — a difference in itself, "chưa đồng bộ lên Cổng" — not an error of the run."""

from __future__ import annotations

from collections.abc import Callable

from motcua.core.dvcqg import LOOKUP, not_found
from motcua.dvcqg.client import Connector, Refused

PROGRESS_EVERY = 100


def look_up(
    connector: Connector,
    madonvi: str,
    codes: list[str],
    progress: Callable[[int, int], None] | None = None,
) -> list[tuple[str, object]]:
    """``(code, what the portal holds, or None)`` for each portal code, in order; ``progress``
    is told every :data:`PROGRESS_EVERY` dossiers and at the end. Raises the client's errors
    (Unreachable, LoginRefused, and Refused for any refusal but "not found")."""
    out: list[tuple[str, object]] = []
    total = len(codes)
    for done, code in enumerate(codes, start=1):
        body = {"service": LOOKUP, "mahoso": code, "madonvi": madonvi}
        try:
            result = connector.result(body)
        except Refused as exc:
            if not not_found(exc.answer):
                raise
            result = None
        out.append((code, result if result not in (None, "", {}, []) else None))
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
            progress(done, total)
    return out
