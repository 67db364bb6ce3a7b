"""Personal data on the desk's pages and the API: the ID number masked by default, shown in
full only on request, each request logged (who, when, which dossier, from which address); the
phone, e-mail, address and birth date in full only for the dossier's own unit
(:func:`may_contact`), masked for everyone else — the province's overseer included."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from motcua.accounts.models import User
from motcua.core.errors import AccessError
from motcua.core.identity import mask_address, mask_email, mask_phone
from motcua.dossiers.models import Dossier, PersonalDataAccess
from motcua.units.access import OFFICIAL_ROLES


def may_contact(user: User, dossier: Dossier) -> bool:
    """Whether ``user`` sees the applicant's phone, e-mail, address and birth date in full: an
    official of the dossier's own unit, who may need to call or write to them. Everyone else
    (the province overseer, an official of another unit) reads them masked."""
    return user.unit_id == dossier.unit_id and user.has_role(*OFFICIAL_ROLES)


def has_contact_data(d: Dossier) -> bool:
    """Whether there is anything to see (and so to log as seen): a phone, an e-mail, an
    address or a birth date."""
    return bool(
        d.applicant_phone or d.applicant_email or d.applicant_address or d.applicant_birth_date
    )


def contact_data(dossier: Dossier, full: bool) -> tuple[str, str, str]:
    """``(phone, e-mail, address)`` of the applicant, in full or masked (empty stays empty)."""
    phone, email, address = (
        dossier.applicant_phone,
        dossier.applicant_email,
        dossier.applicant_address,
    )
    if full:
        return phone, email, address
    return (
        mask_phone(phone) if phone else "",
        mask_email(email) if email else "",
        mask_address(address),
    )


def reveal_id_number(user: User, dossier: Dossier, address: str = "") -> str:
    """The applicant's citizen ID (or tax code) in full, for an official of the dossier's own
    unit; the showing is logged in the same call. The province overseer reads masked data."""
    if not may_contact(user, dossier):
        raise AccessError(
            "Chỉ cán bộ của đơn vị đang giải quyết hồ sơ mới xem được số định danh đầy đủ.",
            "role_required",
        )
    record_access(user, PersonalDataAccess.What.ID_NUMBER, dossier=dossier, address=address)
    return dossier.applicant_id_number


def record_access(
    user: User,
    what: str,
    *,
    dossier: Dossier | None = None,
    unit_id: str | None = None,
    address: str = "",
    detail: str = "",
) -> None:
    """One line of the access log: ``user`` was shown ``what`` in full (of ``dossier``, or of
    the dossiers ``detail`` names), from ``address``."""
    PersonalDataAccess.objects.create(
        user=user,
        user_name=user.display_name[:200],
        dossier=dossier,
        unit_id=dossier.unit_id if dossier is not None else (unit_id or user.unit_id),
        what=what,
        detail=detail[:300],
        address=address[:64],
    )


def prune_access_log(now: datetime | None = None) -> int:
    """Delete the lines older than ``MOTCUA_ACCESS_LOG_MONTHS`` (at least 12); how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=31 * settings.MOTCUA_ACCESS_LOG_MONTHS)
    deleted, _ = PersonalDataAccess.objects.filter(at__lt=cutoff).delete()
    return deleted


ACCESS_COLUMNS = (
    "Thời điểm",
    "Cán bộ",
    "Tên đăng nhập",
    "Đơn vị",
    "Dữ liệu",
    "Mã hồ sơ",
    "Chi tiết",
    "Địa chỉ máy",
)


def access_rows(start: datetime | None = None, end: datetime | None = None, unit: str = ""):
    """The access log's lines for an export, oldest first."""
    qs = PersonalDataAccess.objects.select_related("user", "dossier").order_by("at", "id")
    if start is not None:
        qs = qs.filter(at__gte=start)
    if end is not None:
        qs = qs.filter(at__lt=end)
    if unit:
        qs = qs.filter(unit_id=unit)
    for row in qs.iterator(chunk_size=2000):
        yield [
            timezone.localtime(row.at).strftime("%d/%m/%Y %H:%M:%S"),
            row.user_name,
            row.user.username,
            row.unit_id,
            row.get_what_display(),
            (row.dossier.code or "(nháp)") if row.dossier_id else "",
            row.detail,
            row.address,
        ]
