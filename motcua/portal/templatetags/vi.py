from django import template
from django.utils.safestring import mark_safe

from motcua.core.formatting import hours_vi, money_vi, number_vi, percent_vi
from motcua.core.lifecycle import EVENT_LABELS, ROLE_LABELS
from motcua.documents.pdf import qr_svg
from motcua.portal.fees import citizen_fee, fee_panel
from motcua.units.models import parse_office_hours

register = template.Library()


@register.filter
def so(value, decimals=0):
    """{{ 3834|so }} → 3.834"""
    return "" if value is None else number_vi(value, int(decimals))


@register.filter
def phan_tram(value, decimals=1):
    return "" if value is None else percent_vi(value, int(decimals))


@register.filter
def tien(value):
    return money_vi(int(value or 0))


@register.filter
def thao_tac(action: str) -> str:
    """Vietnamese label of an event's action."""
    return EVENT_LABELS.get(action, action)


@register.filter
def vai_tro(role: str) -> str:
    return ROLE_LABELS.get(role, role)


@register.filter
def phi_le_phi(version) -> str:
    """The fee of a procedure version as the public pages say it (portal.fees)."""
    return citizen_fee(version.fee, version.fee_note)


@register.filter
def bang_phi(version):
    """The fee panel of a procedure version: the rule, exemptions, calculator inputs."""
    return fee_panel(version)


@register.filter
def dung_luong(size: int) -> str:
    """245760 → "240 KB"; 3 MB and more in MB with one decimal ("3,4 MB")."""
    size = int(size or 0)
    if size >= 1024 * 1024:
        return f"{number_vi(size / 1024 / 1024, 1)} MB"
    return f"{number_vi(max(1, round(size / 1024)))} KB"


@register.filter
def ma_qr(text: str) -> str:
    """An inline SVG QR code of ``text`` (a tracking link)."""
    return mark_safe(qr_svg(str(text), scale=4))  # segno's own SVG, no user markup inside


@register.filter
def gio_lam_viec(text: str) -> str:
    """A desk's office hours as people read them: "07:30–11:30 và 13:00–17:00"."""
    try:
        return hours_vi(parse_office_hours(str(text)).periods)
    except ValueError:
        return str(text)
