from django import template

from motcua.core.formatting import money_vi, number_vi, percent_vi
from motcua.core.lifecycle import EVENT_LABELS, ROLE_LABELS

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
