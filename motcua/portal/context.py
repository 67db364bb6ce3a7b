"""Template context shared by every page."""

from __future__ import annotations

from django.conf import settings

from motcua.units.models import Desk


def home_desk() -> Desk | None:
    """The desk this server presents on its public pages (MOTCUA_HOME_UNIT, else the first)."""
    code = getattr(settings, "MOTCUA_HOME_UNIT", "")
    qs = Desk.objects.select_related("unit__province")
    return (qs.filter(unit_id=code).first() if code else None) or qs.order_by("created_at").first()


def site(request):
    return {"site_name": settings.MOTCUA_SITE_NAME, "home_desk": home_desk()}
