"""Template context shared by every page: whose desk the header shows, and the menu by role."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from motcua.accounts import mfa
from motcua.accounts.models import Role
from motcua.core import lifecycle, official
from motcua.units.access import is_admin, is_official
from motcua.units.cache import cached
from motcua.units.models import Desk, Unit
from motcua.units.queries import desk_of_unit


def home_desk() -> Desk | None:
    """The desk this server presents on its public pages (MOTCUA_HOME_UNIT, else the first);
    cached per process with the configuration (motcua.units.cache)."""
    code = getattr(settings, "MOTCUA_HOME_UNIT", "")

    def load() -> Desk | None:
        qs = Desk.objects.select_related("unit__province")
        found = qs.filter(unit_id=code).first() if code else None
        return found or qs.order_by("created_at").first()

    return cached(("home_desk", code), load)


def own_desk(unit_id: str) -> Desk | None:
    try:
        return desk_of_unit(unit_id)
    except Desk.DoesNotExist:
        return None


@dataclass(frozen=True)
class Brand:
    """The header: the line above (province) and the name (the desk, or the province)."""

    above: str
    name: str


def brand_for(user, desk: Desk | None) -> Brand:
    """An official sees their own commune's desk, an overseer their province; citizens and
    everyone else the server's home desk."""
    if user.is_authenticated and user.unit_id and own_desk(user.unit_id) is None:
        if user.has_role(Role.OVERSEER):
            province = Unit.objects.filter(code=user.unit_id).first()
            if province is not None:
                named = official.unit_in_text(province.name, province.division_type)
                return Brand("THEO DÕI CẤP TỈNH", named[:1].upper() + named[1:])
    if desk is None:
        return Brand("CỔNG MỘT CỬA", settings.MOTCUA_SITE_NAME)
    province = official_province(desk.unit)
    return Brand(province, desk.name)


def official_province(unit: Unit) -> str:
    """ "TỈNH THÁI NGUYÊN" above a commune's desk (the list names the province without its
    kind)."""
    if not unit.province_id:
        return ""
    province = unit.province
    return official.unit_heading(province.name, province.division_type)


def awaiting_second_factor(user) -> bool:
    verified = getattr(user, "is_verified", None)
    if verified is None or verified():
        return False
    return mfa.enrolled(user) or mfa.required_for(user)


def menu_for(user) -> list[tuple[str, str]]:
    """(label, address) of the header's links, by what the user does."""
    public = [
        ("Thủ tục hành chính", reverse("portal:catalogue")),
        ("Nộp trực tuyến", reverse("online:choose")),
        ("Tra cứu hồ sơ", reverse("tracking")),
        ("Phản ánh, kiến nghị", reverse("feedback")),
        ("Xác thực văn bản", reverse("documents:verify")),
    ]
    if not user.is_authenticated:
        return public
    if awaiting_second_factor(user):
        return []  # nothing opens before the code (motcua.accounts.middleware)
    items: list[tuple[str, str]] = []
    roles = user.role_codes()
    if is_official(user):
        items.append(("Việc của tôi", reverse("dossiers:worklist")))
        if roles & lifecycle.DESK:
            items.append(("Tiếp nhận", reverse("dossiers:intake_start")))
        items.append(("Sổ theo dõi", reverse("dossiers:log_book")))
        items.append(("Phản ánh, kiến nghị", reverse("dossiers:feedback_list")))
        items.append(("Lịch trực", reverse("roster:week")))
        if roles & (lifecycle.DESK | {lifecycle.CLERK}):  # the clerk signs the receipts
            items.append(("Thu phí, lệ phí", reverse("payments:office")))
    items.append(("Thống kê", reverse("reports:dashboard")))
    if is_official(user) or user.has_role(Role.OVERSEER):
        items.append(("Đối chiếu", reverse("integrations:mine")))
    if is_official(user) or user.has_role(Role.OVERSEER) or is_admin(user):
        items.append(("Đồng bộ Cổng DVCQG", reverse("sync:page")))
    items.append(
        ("Các xã" if user.has_role(Role.OVERSEER) else "Bộ phận Một cửa", reverse("units:mine"))
    )
    if user.has_role(Role.LEADER, Role.HEAD, Role.CLERK):
        items.append(("Chứng thư số", reverse("documents:certificates")))
    if is_admin(user):
        items.append(("Quản trị", reverse("admin:index")))
    return items


def shown_desk(user) -> Desk | None:
    """The desk a page speaks for: an official's own, else the server's home desk."""
    if user.is_authenticated and user.unit_id:
        own = own_desk(user.unit_id)
        if own is not None:
            return own
    return home_desk()


def site(request):
    desk = shown_desk(request.user)
    return {
        "site_name": settings.MOTCUA_SITE_NAME,
        "home_desk": desk,
        "brand": brand_for(request.user, desk),
        "menu": menu_for(request.user),
    }
