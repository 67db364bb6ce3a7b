"""Who may see and change what: unit scoping for every page and API call.

- An official (cán bộ xã) sees only their own commune.
- A province overseer sees every commune of their province, read-only.
- A system administrator sees everything.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from motcua.accounts.models import Role, User
from motcua.units.models import Unit

OFFICIAL_ROLES = (Role.HEAD, Role.DEPUTY, Role.SPECIALIST, Role.LEADER, Role.CLERK)
MANAGER_ROLES = (Role.HEAD, Role.DEPUTY)

NO_ACCESS = "Bạn không có quyền xem dữ liệu của đơn vị này."
READ_ONLY = "Tài khoản của bạn chỉ có quyền xem, không được thay đổi dữ liệu của đơn vị này."


def is_admin(user: User) -> bool:
    return user.is_authenticated and (user.is_superuser or user.has_role(Role.ADMIN))


def is_staff_member(user) -> bool:
    """A logged-in official, overseer or administrator (not a citizen)."""
    return user.is_authenticated and (
        is_admin(user) or user.has_role(*OFFICIAL_ROLES, Role.OVERSEER)
    )


def visible_units(user: User) -> QuerySet[Unit]:
    """The units whose data ``user`` may read."""
    if not user.is_authenticated:
        return Unit.objects.none()
    if is_admin(user):
        return Unit.objects.all()
    if user.unit_id is None:
        return Unit.objects.none()
    if user.has_role(Role.OVERSEER):
        return Unit.objects.filter(Q(code=user.unit_id) | Q(province_id=user.unit_id))
    if user.has_role(*OFFICIAL_ROLES):
        return Unit.objects.filter(code=user.unit_id)
    return Unit.objects.none()


def can_view_unit(user: User, unit: Unit) -> bool:
    if not user.is_authenticated:
        return False
    if is_admin(user):
        return True
    if user.unit_id is None:
        return False
    if user.has_role(Role.OVERSEER) and unit.province_code == user.unit_id:
        return True
    return unit.code == user.unit_id and user.has_role(*OFFICIAL_ROLES)


def can_manage_unit(user: User, unit: Unit) -> bool:
    """Change a unit's desk settings: its head or deputy, or an administrator."""
    if is_admin(user):
        return True
    return user.unit_id == unit.code and user.has_role(*MANAGER_ROLES)


def check_view_unit(user: User, unit: Unit) -> None:
    if not can_view_unit(user, unit):
        raise PermissionDenied(NO_ACCESS)


def check_manage_unit(user: User, unit: Unit) -> None:
    check_view_unit(user, unit)
    if not can_manage_unit(user, unit):
        raise PermissionDenied(READ_ONLY)
