"""Reads on dossiers, always scoped to what the user may see."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from motcua.accounts.access import visible_units
from motcua.accounts.models import User
from motcua.core import lifecycle
from motcua.dossiers.models import Dossier


def visible_dossiers(user: User) -> QuerySet[Dossier]:
    """Dossiers of the units ``user`` may read (none for an anonymous user)."""
    return Dossier.objects.filter(unit__in=visible_units(user)).select_related(
        "procedure", "procedure_version", "unit", "assigned_to"
    )


def filter_dossiers(qs: QuerySet[Dossier], params) -> QuerySet[Dossier]:
    """Filters shared by the API and the pages: state, procedure, channel, ranges, overdue."""
    if params.get("state"):
        qs = qs.filter(state__in=params.get("state").split(","))
    if params.get("procedure"):
        qs = qs.filter(procedure__code=params.get("procedure"))
    if params.get("channel"):
        qs = qs.filter(channel__in=params.get("channel").split(","))
    for name, column in (("received", "received_at"), ("due", "due_at")):
        if params.get(f"{name}_from"):
            qs = qs.filter(**{f"{column}__gte": params.get(f"{name}_from")})
        if params.get(f"{name}_to"):
            qs = qs.filter(**{f"{column}__lt": params.get(f"{name}_to")})
    if params.get("overdue") in ("1", "true"):
        qs = overdue(qs, timezone.now())
    return qs


def overdue(qs: QuerySet[Dossier], at: datetime) -> QuerySet[Dossier]:
    """In progress past the due moment (waiting for the applicant's supplement does not count)."""
    return qs.filter(
        state__in=[s.value for s in lifecycle.IN_PROGRESS],
        pending_supplement_since__isnull=True,
        due_at__lt=at,
    )


def worklist(user: User) -> QuerySet[Dossier]:
    """Việc của tôi: dossiers waiting for an action the user's roles can take, due soon first."""
    roles = user.role_codes()
    states = {
        state.value
        for state in lifecycle.State
        if lifecycle.available_actions(state, roles)
        and state not in (lifecycle.State.DRAFT, lifecycle.State.DONE)
    }
    if roles & lifecycle.DESK:
        states |= {lifecycle.State.DONE.value, lifecycle.State.AWAITING_RECEPTION.value}
    qs = visible_dossiers(user).filter(state__in=states)
    if lifecycle.SPECIALIST in roles and not roles & {lifecycle.HEAD, lifecycle.DEPUTY}:
        qs = qs.filter(
            Q(assigned_to=user)
            | Q(assigned_to__isnull=True)
            | ~Q(state__in=[lifecycle.State.RECEIVED, lifecycle.State.IN_REVIEW])
        )
    return qs.order_by("due_at", "received_at")


LOG_BOOK_COLUMNS = [
    "STT",
    "Mã hồ sơ",
    "Tên thủ tục hành chính",
    "Số lượng hồ sơ (bộ)",
    "Tên cá nhân, tổ chức",
    "Địa chỉ, số điện thoại",
    "Cơ quan chủ trì giải quyết",
    "Ngày nhận hồ sơ",
    "Ngày hẹn trả kết quả",
    "Ngày chuyển hồ sơ đến cơ quan giải quyết",
    "Ngày có kết quả giải quyết",
    "Ngày trả kết quả",
    "Ký nhận",
    "Ghi chú",
]


def log_book(user: User, start, end) -> QuerySet[Dossier]:
    """Sổ theo dõi hồ sơ (Mẫu 07): dossiers received in [start, end), with hand-over dates."""
    from django.db.models import Min, OuterRef, Subquery

    from motcua.dossiers.models import DossierEvent

    handed = (
        DossierEvent.objects.filter(dossier=OuterRef("pk"), action__in=["start_review", "transfer"])
        .values("dossier")
        .annotate(first=Min("at"))
        .values("first")
    )
    return (
        visible_dossiers(user)
        .filter(received_at__gte=start, received_at__lt=end)
        .annotate(handed_at=Subquery(handed))
        .order_by("received_at", "code")
    )


def log_book_row(number: int, d: Dossier) -> list:
    def day(moment):
        return timezone.localtime(moment).strftime("%d/%m/%Y") if moment else ""

    contact = ", ".join(x for x in (d.applicant_address, d.applicant_phone) if x)
    notes = []
    if d.transferred_to:
        notes.append(f"Liên thông: {d.transferred_to}")
    if d.paper_collected_by:
        notes.append(f"Người nhận: {d.paper_collected_by}")
    if d.timeliness == "late":
        notes.append("Quá hạn")
    return [
        number,
        d.code,
        d.procedure_version.name,
        d.copies,
        d.applicant_name,
        contact,
        d.procedure_version.agency,
        day(d.received_at),
        day(d.due_at),
        day(d.handed_at),
        day(d.done_at),
        day(d.returned_at),
        "",
        "; ".join(notes),
    ]
