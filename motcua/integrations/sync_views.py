"""Pages: the sync with the national portal (Đồng bộ Cổng DVC quốc gia) — the connector's
state, the outbox by status and by day, the dossiers waiting, "gửi lại" — and the mapping of
our codes to the portal's (the desk's agency code, the procedures' MaTTHC)."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from motcua.accounts.models import Role
from motcua.catalog import actions as catalog_actions
from motcua.catalog.models import Procedure
from motcua.core.dvcqg import PROCEDURES, readable_answer, suggest_matches
from motcua.core.errors import DomainError
from motcua.core.formatting import number_vi, percent_vi
from motcua.dvcqg.client import Connector, PortalError, connector_on
from motcua.integrations import sync_actions, sync_queries
from motcua.pagination import KnownCountPaginator
from motcua.reports.charts import grouped_bars
from motcua.units import actions as unit_actions
from motcua.units.access import (
    attempt,
    can_manage_unit,
    check_view_unit,
    is_admin,
    staff_required,
    visible_units,
)
from motcua.units.models import Desk, Unit

PAGE_SIZE = 50
SUGGESTIONS = "dvcqg_suggestions"  # the session's key for the portal's last catalogue match
CONNECTOR_OFF = (
    "Kết nối Cổng DVCQG chưa được bật trên máy chủ này, nên chưa lấy được danh sách thủ tục "
    "của Cổng. Hãy báo quản trị hệ thống của tỉnh."
)


def chosen_unit(request) -> Unit | None:
    """The unit asked for (``?don_vi=``), one the user may see; None: all they may see."""
    code = (request.GET.get("don_vi") or request.POST.get("don_vi") or "").strip()
    if not code:
        return None
    unit = get_object_or_404(Unit, code=code)
    check_view_unit(request.user, unit)
    return unit


def unit_choices(user):
    """The units a user may pick from (with a desk), when there is more than one."""
    if user.unit_id and not is_admin(user) and not user.has_role(Role.OVERSEER):
        return []
    return visible_units(user).filter(desk__isnull=False).order_by("name")[:200]


def back_to_page(request) -> str:
    """The sync page as the form was posted from (its filters and page number)."""
    query = {
        key: request.POST[key]
        for key in ("don_vi", "ho_so", "trang")
        if request.POST.get(key, "").strip()
    }
    url = reverse("sync:page")
    return f"{url}?{urlencode(query)}" if query else url


@staff_required
def sync_page(request):
    """/dong-bo-dvcqg/: what the portal has heard of, and what it has not yet."""
    unit = chosen_unit(request)
    scope = sync_queries.scope_for(request.user, unit.code if unit else "")
    dossier_code = request.GET.get("ho_so", "").strip().upper()[:60]
    queue = sync_queries.queue_summary(scope)
    groups = sync_queries.unsent_dossiers(scope, dossier_code)
    known = None if dossier_code else queue.dossiers
    page = KnownCountPaginator(groups, PAGE_SIZE, known).get_page(request.GET.get("trang"))
    days = sync_queries.per_day(scope)
    counts = sync_queries.status_counts(queue, days)
    lines = sync_queries.dossier_lines(list(page.object_list))
    may_resend = sync_actions.may_resend(request.user)
    for line in lines:
        line.may_resend = sync_actions.may_resend(request.user, line.unit_id)
    troubled = sum(c.count for c in counts if c.status in ("failed", "dead"))
    return render(
        request,
        "integrations/sync.html",
        {
            "unit": unit,
            "units": unit_choices(request.user),
            "connector": sync_queries.connector_view(),
            "is_admin": is_admin(request.user),
            "counts": counts,
            "days": days,
            "days_total": (sum(d.created for d in days), sum(d.sent for d in days)),
            "chart": grouped_bars(
                "Lệnh đồng bộ lập và gửi được mỗi ngày",
                [(f"{d.day:%d/%m}", {"created": d.created, "sent": d.sent}) for d in days],
                {"created": "Lập", "sent": "Gửi được"},
            ),
            "page": page,
            "lines": lines,
            "dossier_code": dossier_code,
            "may_resend": may_resend,
            "troubled": troubled,
            "any_sent": any(c.count for c in counts if c.status == "sent"),
            "query": urlencode(
                {
                    k: v
                    for k, v in (("don_vi", unit.code if unit else ""), ("ho_so", dossier_code))
                    if v
                }
            ),
        },
    )


@staff_required
@require_POST
def resend(request):
    """Gửi lại: one call (``lenh``), one dossier's failing calls (``ho_so_id``), or every
    failing call the user answers for (``tat_ca``)."""
    unit = chosen_unit(request)
    scope = sync_queries.scope_for(request.user, unit.code if unit else "")
    done: list[int] = []
    if request.POST.get("lenh"):
        row_id = _number(request.POST["lenh"])
        step = lambda: done.append(sync_actions.resend_row(request.user, scope, row_id))  # noqa: E731
    elif request.POST.get("ho_so_id"):
        dossier_id = _uuid(request.POST["ho_so_id"])
        step = lambda: done.append(  # noqa: E731
            sync_actions.resend_dossier(request.user, scope, dossier_id)
        )
    else:
        step = lambda: done.append(sync_actions.resend_all(request.user, scope))  # noqa: E731
    if attempt(request, step):
        if done[0]:
            later = "" if connector_on() else " Kết nối Cổng chưa bật: lệnh sẽ được gửi khi bật."
            messages.success(
                request,
                f"Đã đưa {number_vi(done[0])} lệnh trở lại hàng đợi gửi lên Cổng DVCQG.{later}",
            )
        else:
            messages.info(request, "Không có lệnh lỗi nào để gửi lại.")
    return redirect(back_to_page(request))


def _number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise DomainError(sync_actions.NOT_FOUND, "not_found") from None


def _uuid(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise DomainError(sync_actions.NOT_FOUND, "not_found") from None


# --- the codes on the portal --------------------------------------------------------------


def mapping_desk(request) -> Desk | None:
    """The desk the mapping page speaks for: the unit asked for, else the user's own."""
    unit = chosen_unit(request)
    if unit is None and request.user.unit_id:
        unit = Unit.objects.filter(code=request.user.unit_id).first()
    if unit is None:
        return None
    return Desk.objects.select_related("unit").filter(unit=unit).first()


def procedure_rows(suggestions: dict, posted=None) -> list[dict]:
    """Our procedures with their portal code and the portal's suggestion (if fetched)."""
    rows = []
    for code, name, portal_code in (
        Procedure.objects.filter(is_active=True)
        .order_by("code")
        .values_list("code", "name", "portal_code")
    ):
        found = suggestions.get(code)
        typed = posted.get(f"ma-{code}", portal_code) if posted is not None else portal_code
        rows.append(
            {
                "code": code,
                "name": name,
                "portal_code": portal_code,
                "typed": typed,
                "suggested": found[0] if found else "",
                "suggested_name": found[1] if found else "",
                "score": percent_vi(found[2] * 100) if found else "",
                "in_use": bool(found) and (portal_code or code) == found[0],
                # an exact match (names without diacritics) is ticked for the official to
                # look over; any other waits for their tick
                "checked": posted.get(f"chon-{code}") == "1"
                if posted is not None
                else bool(found) and found[2] >= 1.0 and (portal_code or code) != found[0],
            }
        )
    return rows


def mapping_context(request, desk, posted=None, **extra) -> dict:
    suggestions = request.session.get(SUGGESTIONS, {})
    rows = procedure_rows(suggestions.get("matches", {}), posted)
    return {
        "desk": desk,
        "unit": desk.unit if desk else None,
        "units": unit_choices(request.user),
        "rows": rows,
        "fetched": suggestions.get("count"),
        "suggested": sum(1 for r in rows if r["suggested"]),
        "is_admin": is_admin(request.user),
        "may_edit_desk": desk is not None and can_manage_unit(request.user, desk.unit),
        "connector_on": connector_on(),
        "desk_code": (posted or {}).get("ma_don_vi", desk.portal_agency_code if desk else ""),
        **extra,
    }


@staff_required
def portal_codes(request):
    """/dong-bo-dvcqg/ma-so/: the desk's agency code and the procedures' codes on the portal;
    POST: fetch the portal's catalogue for suggestions, or save either kind of code."""
    desk = mapping_desk(request)
    if request.method != "POST":
        return render(request, "integrations/portal_codes.html", mapping_context(request, desk))
    what = request.POST.get("viec", "")
    if what == "lay-danh-sach":
        fetch_suggestions(request)
    elif what == "luu-ma-don-vi" and desk is not None:
        code = request.POST.get("ma_don_vi", "")
        if not attempt(
            request,
            lambda: unit_actions.set_portal_agency_code(request.user, desk, code),
            "Đã lưu mã đơn vị trên Cổng DVCQG.",
        ):
            context = mapping_context(request, desk, request.POST)
            return render(request, "integrations/portal_codes.html", context, status=400)
    elif what == "luu-ma-thu-tuc":
        codes, error = posted_procedure_codes(request.POST)
        changed: list[int] = []
        if error is None and attempt(
            request, lambda: changed.append(catalog_actions.set_portal_codes(request.user, codes))
        ):
            messages.success(
                request,
                f"Đã lưu mã trên Cổng DVCQG của {number_vi(changed[0])} thủ tục."
                if changed[0]
                else "Không có mã nào thay đổi.",
            )
        else:
            if error:
                messages.error(request, error)
            context = mapping_context(request, desk, request.POST)
            return render(request, "integrations/portal_codes.html", context, status=400)
    query = f"?don_vi={desk.unit_id}" if desk is not None and request.POST.get("don_vi") else ""
    return redirect(reverse("sync:portal_codes") + query)


def posted_procedure_codes(post) -> tuple[dict[str, str], str | None]:
    """Our code → the code to keep on the portal, from the form: a ticked suggestion, else
    the typed code; an error when an official both ticked and typed another code."""
    codes: dict[str, str] = {}
    for key in post:
        if not key.startswith("ma-"):
            continue
        ours = key[3:]
        typed = post.get(key, "").strip()
        ticked = post.get(f"chon-{ours}") == "1"
        suggested = post.get(f"goi-y-{ours}", "").strip()
        before = post.get(f"cu-{ours}", "").strip()
        if ticked and suggested:
            if typed != before and typed != suggested:
                return {}, (
                    f"Thủ tục {ours}: vừa chọn mã gợi ý {suggested} vừa gõ mã {typed}; "
                    "hãy giữ một trong hai."
                )
            codes[ours] = suggested
        else:
            codes[ours] = typed
    return codes, None


def fetch_suggestions(request) -> None:
    """Ask the portal for its procedures (LayDanhSachTTHC) and keep the matches in the
    session for the page to show; say in Vietnamese why when the portal does not answer."""
    if not is_admin(request.user):
        raise DomainError(catalog_actions.CATALOGUE_ONLY_ADMIN, "role_required")
    if not connector_on():
        messages.error(request, CONNECTOR_OFF)
        return
    connector = None
    try:
        connector = Connector()
        answer = connector.result({"service": PROCEDURES}, share=True)
    except PortalError as exc:
        messages.error(
            request,
            f"Chưa lấy được danh sách thủ tục của Cổng DVCQG: {readable_answer(exc.message)}",
        )
        return
    finally:
        if connector is not None:
            connector.close()
    theirs = (
        [
            (str(item["MaTTHC"]).strip(), str(item.get("TenTTHC") or "").strip())
            for item in answer or []
            if isinstance(item, dict) and str(item.get("MaTTHC") or "").strip()
        ]
        if isinstance(answer, list)
        else None
    )
    if theirs is None:
        messages.error(request, "Cổng DVCQG trả về danh sách thủ tục không đúng dạng.")
        return
    ours = list(Procedure.objects.filter(is_active=True).values_list("code", "name"))
    matches = suggest_matches(ours, theirs)
    request.session[SUGGESTIONS] = {
        "count": len(theirs),
        "matches": {m.ours: [m.theirs, m.their_name, m.score] for m in matches},
    }
    messages.success(
        request,
        f"Cổng DVCQG có {number_vi(len(theirs))} thủ tục; "
        f"{number_vi(len(matches))} thủ tục của phần mềm có gợi ý mã.",
    )
