"""Keyset (cursor) pagination for the API: the next page starts after the last row's sort key,
so a page costs the same on page 1 and page 1,000 and nothing counts a province's dossiers.
And, for pages, a paginator told the number of rows it already has."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import cached_property
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from rest_framework.pagination import PageNumberPagination

from motcua.core.errors import DomainError

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class KnownCountPaginator(Paginator):
    """A paginator told the number of rows (when it is known), instead of counting them."""

    def __init__(self, object_list, per_page, known: int | None):
        super().__init__(object_list, per_page)
        self.known = known

    @cached_property
    def count(self) -> int:
        return self.known if self.known is not None else super().count


def encode(values: Sequence) -> str:
    plain = [v.isoformat() if isinstance(v, datetime) else str(v) for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode().rstrip("=")


def decode(cursor: str, kinds: Sequence[Callable]) -> list:
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(raw, list) or len(raw) != len(kinds):
            raise ValueError
        return [kind(value) for kind, value in zip(kinds, raw, strict=True)]
    # A forged cursor: not base64, not JSON, nested too deep, values of the wrong type.
    except (ValueError, TypeError, AttributeError, RecursionError, OverflowError):
        raise DomainError("Tham số cursor không hợp lệ (hãy dùng liên kết “next”).") from None


def after(fields: Sequence[tuple[str, bool]], values: Sequence) -> Q:
    """Rows after ``values`` in the order ``fields`` = [(name, descending), …]:
    (a > x) or (a = x and (b > y or (b = y and …)))."""
    condition = Q(pk__in=[])
    equal = Q()
    for (name, descending), value in zip(fields, values, strict=True):
        beyond = Q(**{f"{name}__{'lt' if descending else 'gt'}": value})
        condition |= equal & beyond
        equal &= Q(**{name: value})
    return condition


def page_size(request) -> int:
    text = request.query_params.get("page_size")
    if text is None:
        return PAGE_SIZE
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_PAGE_SIZE:
        raise DomainError(f"page_size phải là số từ 1 đến {MAX_PAGE_SIZE}.")
    return int(text)


def keyset_page(
    request,
    qs: QuerySet,
    fields: Sequence[tuple[str, bool]],
    kinds: Sequence[Callable],
    render: Callable,
) -> dict:
    """One page of ``qs`` ordered by ``fields`` (the last one unique), as
    ``{"next": url or None, "results": [render(row), …]}``."""
    size = page_size(request)
    cursor = request.query_params.get("cursor", "")
    ordered = qs.order_by(*(f"-{name}" if desc else name for name, desc in fields))
    if cursor:
        ordered = ordered.filter(after(fields, decode(cursor, kinds)))
    rows = list(ordered[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    next_url = None
    if more:
        last = rows[-1]
        params = {k: v for k, v in request.query_params.items() if k != "cursor"}
        params["cursor"] = encode([getattr(last, name) for name, _ in fields])
        next_url = request.build_absolute_uri(f"{request.path}?{urlencode(params)}")
    return {"next": next_url, "results": [render(row) for row in rows]}


class PageNumbers(PageNumberPagination):
    """DRF's page numbers (the catalogue), with a page that is not a whole number refused in
    Vietnamese (400) instead of read as page 1; a page past the last is a 404, as in DRF."""

    def get_page_number(self, request, paginator):
        text = request.query_params.get(self.page_query_param)
        if text is None:
            return 1
        if not (text.isascii() and text.isdigit()) or len(text) > 9 or int(text) < 1:
            raise DomainError("Tham số page phải là số trang (1, 2, 3…).")
        return int(text)
