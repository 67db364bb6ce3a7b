"""Who may see and change what: unit scoping for every page and API call.

- An official (cán bộ xã) sees only their own commune.
- A province overseer sees every commune of their province, read-only.
- A system administrator sees everything.

Checks raise :class:`~motcua.core.errors.AccessError` (403, Vietnamese); pages and the API
turn it into their answer in one place each (``motcua.middleware.DomainErrorMiddleware``,
``motcua.api.exception_handler``). :func:`attempt` is the one helper for a page that runs an
action and shows its refusal as a message instead.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet

from motcua.accounts.models import Role, User
from motcua.accounts.throttle import client_address  # noqa: F401  (the pages' one import)
from motcua.core.errors import AccessError, DomainError, Kind
from motcua.units.models import Unit

OFFICIAL_ROLES = (Role.HEAD, Role.DEPUTY, Role.SPECIALIST, Role.LEADER, Role.CLERK)
MANAGER_ROLES = (Role.HEAD, Role.DEPUTY)

NO_ACCESS = "Bạn không có quyền xem dữ liệu của đơn vị này."
READ_ONLY = "Tài khoản của bạn chỉ có quyền xem, không được thay đổi dữ liệu của đơn vị này."
STAFF_ONLY = "Trang này chỉ dành cho cán bộ, công chức."


def is_admin(user: User) -> bool:
    return user.is_authenticated and (user.is_superuser or user.has_role(Role.ADMIN))


def is_staff_member(user) -> bool:
    """A logged-in official, overseer or administrator (not a citizen)."""
    return user.is_authenticated and (
        is_admin(user) or user.has_role(*OFFICIAL_ROLES, Role.OVERSEER)
    )


def is_official(user) -> bool:
    """A logged-in official of a commune (who may change its data, by role)."""
    return user.is_authenticated and user.unit_id is not None and user.has_role(*OFFICIAL_ROLES)


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


def active_official(unit_code: str, pk) -> User | None:
    """The active official (an official's role) of ``unit_code`` whose id is ``pk`` as typed in
    a form (digits), else None: who may be given a feedback, be on the roster, stand in."""
    if pk in (None, "") or not str(pk).isdigit():
        return None
    found = User.objects.filter(pk=pk, is_active=True, unit_id=unit_code).first()
    return found if found is not None and found.has_role(*OFFICIAL_ROLES) else None


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
        raise AccessError(NO_ACCESS, "other_unit")


def check_manage_unit(user: User, unit: Unit) -> None:
    check_view_unit(user, unit)
    if not can_manage_unit(user, unit):
        raise AccessError(READ_ONLY, "read_only")


def check_staff(user) -> None:
    if not is_staff_member(user):
        raise AccessError(STAFF_ONLY, "role_required")


def staff_required(view):
    """A page for officials, overseers and administrators (log-in first)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        check_staff(request.user)
        return view(request, *args, **kwargs)

    return wrapped


def report_error(request, error: DomainError | str) -> None:
    """Show a refused request's Vietnamese message on the next page."""
    messages.error(request, error.message if isinstance(error, DomainError) else str(error))


def attempt(request, step: Callable[[], object], done: str = "") -> bool:
    """Run one action for a page (the one page helper): on success say ``done``; wrong input
    or the wrong moment (invalid, conflict) is said on the page the user goes back to; not
    allowed or not found (forbidden, not_found) is the 403/404 page (DomainErrorMiddleware)."""
    try:
        step()
    except DomainError as exc:
        if exc.kind in (Kind.FORBIDDEN, Kind.NOT_FOUND):
            raise
        report_error(request, exc)
        return False
    if done:
        messages.success(request, done)
    return True


def report_form_errors(request, form) -> None:
    """Every error of a Django form, as messages (a form posted from a page without its own)."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
