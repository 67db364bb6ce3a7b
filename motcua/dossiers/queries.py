"""Reads on dossiers, always scoped to what the user may see.

:func:`access_dossier` is the one way a page, an API call or an action gets a dossier for a
user (Zulip's ``access_message``): scoped to the user's units, optionally holding the row lock.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db.models import Min, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from motcua.accounts.models import User
from motcua.core import lifecycle
from motcua.core.errors import AccessError, DossierError
from motcua.dossiers.ledger import lock_dossier
from motcua.dossiers.models import Channel, Dossier, DossierEvent
from motcua.dossiers.privacy import contact_data
from motcua.units.access import can_view_unit, visible_units


def visible_dossiers(user: User) -> QuerySet[Dossier]:
    """Dossiers of the units ``user`` may read (none for an anonymous user)."""
    return Dossier.objects.filter(unit__in=visible_units(user)).select_related(
        "procedure", "procedure_version", "unit", "assigned_to"
    )


def access_dossier(user: User, pk=None, *, code: str | None = None, lock: bool = False) -> Dossier:
    """The dossier ``pk`` (or ``code``) if ``user`` may see it.

    None such: ``dossier_not_found`` (404). Another unit's dossier by ``pk`` (a UUID from a
    link, not guessable): :class:`AccessError` (403), so an official knows why; by ``code``
    (the API; codes run in sequence and can be guessed): 404 as if it did not exist, so a
    commune learns nothing of another's dossiers. ``lock=True`` (inside a transaction, for a
    write): the row is read holding its lock, so the checks that follow see the state the
    write will change.
    """
    found = Dossier.objects.filter(code=code) if code is not None else Dossier.objects.filter(pk=pk)
    if lock:
        if code is not None:
            pk = found.values_list("pk", flat=True).first()
        try:
            dossier = lock_dossier(pk) if pk is not None else None
        except Dossier.DoesNotExist:
            dossier = None
    else:
        dossier = found.select_related(
            "procedure", "procedure_version", "unit", "assigned_to"
        ).first()
    if dossier is None:
        raise DossierError("Không tìm thấy hồ sơ này.", "dossier_not_found")
    if not can_view_unit(user, dossier.unit):
        if code is not None:
            raise DossierError("Không tìm thấy hồ sơ này.", "dossier_not_found")
        raise AccessError("Bạn không có quyền xem hồ sơ của đơn vị khác.", "other_unit")
    return dossier


def tracking_url(dossier: Dossier) -> str:
    """The citizen's address of the dossier's tracking page (the QR of the slips)."""
    return f"{settings.MOTCUA_PUBLIC_URL.rstrip('/')}/tra-cuu/{dossier.tracking_token}/"


def rating_url(dossier: Dossier, via: str = "qr") -> str:
    """The citizen's address for rating the dossier's handling (the QR of the slips and the
    result: ``qr``; the return message: ``tin-nhan``)."""
    base = settings.MOTCUA_PUBLIC_URL.rstrip("/")
    return f"{base}/danh-gia/{dossier.tracking_token}/?kenh={via}"


def filter_dossiers(qs: QuerySet[Dossier], params) -> QuerySet[Dossier]:
    """Filters shared by the API and the pages: state, procedure, channel, ranges, overdue.
    A value that is not one of the allowed ones, or not a date, is refused (400) rather than
    handed to the database."""
    if params.get("state"):
        qs = qs.filter(state__in=choice_param(params, "state", lifecycle.State))
    if params.get("procedure"):
        qs = qs.filter(procedure__code=params.get("procedure")[:40])
    if params.get("channel"):
        qs = qs.filter(channel__in=choice_param(params, "channel", Channel))
    for name, column in (("received", "received_at"), ("due", "due_at")):
        start, end = moment_param(params, f"{name}_from"), moment_param(params, f"{name}_to")
        if start is not None:
            qs = qs.filter(**{f"{column}__gte": start})
        if end is not None:
            qs = qs.filter(**{f"{column}__lt": end})
    if flag_param(params, "overdue"):
        qs = overdue(qs, timezone.now())
    return qs


FLAGS = {"0": False, "false": False, "1": True, "true": True}


def flag_param(params, name: str) -> bool:
    """A yes/no parameter: true or 1, false or 0, or absent (no); anything else, an empty
    value included, is refused."""
    text = params.get(name)
    if text is None:
        return False
    if text not in FLAGS:
        raise DossierError(f"Tham số {name} phải là true hoặc false.")
    return FLAGS[text]


def choice_param(params, name: str, choices) -> list[str]:
    """The comma-separated values of ``name``, each one of ``choices`` (an enum)."""
    allowed = [c.value for c in choices]
    values = params.get(name).split(",")
    if any(v not in allowed for v in values):
        raise DossierError(f"Tham số {name} không hợp lệ; giá trị được dùng: {', '.join(allowed)}.")
    return values


def moment_param(params, name: str) -> datetime | None:
    """A date (YYYY-MM-DD, midnight local time) or an ISO 8601 moment (local time when it
    names no zone), or None when the parameter is absent."""
    text = params.get(name, "")
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        moment = None
    if moment is None or not 1900 <= moment.year <= 9000:
        raise DossierError(
            f"Tham số {name} phải là ngày dạng YYYY-MM-DD (hoặc ngày giờ ISO 8601), "
            "ví dụ 2026-07-01."
        )
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def overdue_condition(at: datetime) -> Q:
    """Quá hạn, the one rule for the worklist, the dashboard and the API: in progress (not
    ended, not transferred out), not waiting for the applicant's supplement, and the due
    moment already passed at ``at``."""
    return Q(
        state__in=[s.value for s in lifecycle.IN_PROGRESS],
        pending_supplement_since__isnull=True,
        due_at__lt=at,
    )


def overdue(qs: QuerySet[Dossier], at: datetime) -> QuerySet[Dossier]:
    """The dossiers of ``qs`` overdue at ``at`` (:func:`overdue_condition`)."""
    return qs.filter(overdue_condition(at))


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


def log_book_row(number: int, d: Dossier, full_contact: bool = True) -> list:
    """One line of the log book (Mẫu 07); the address and phone masked for a reader outside
    the dossier's unit (``privacy.may_contact``)."""

    def day(moment):
        return timezone.localtime(moment).strftime("%d/%m/%Y") if moment else ""

    phone, _, address = contact_data(d, full_contact)
    contact = ", ".join(x for x in (address, phone) if x)
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
