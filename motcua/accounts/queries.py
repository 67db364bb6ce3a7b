"""Reads on staff accounts: who signs for a commune's People's Committee."""

from __future__ import annotations

from dataclasses import dataclass

from motcua.accounts.models import Role, User
from motcua.core import official


def chairman(unit_id: str) -> User | None:
    """The commune's chairman: its active signing leader titled "Chủ tịch…" (the first by
    account number if several), or None (core.official.pick_chairman)."""
    leaders = (
        User.objects.filter(unit_id=unit_id, is_active=True, staff_roles__role=Role.LEADER)
        .distinct()
        .order_by("pk")
    )
    return official.pick_chairman((user, user.title) for user in leaders)


@dataclass(frozen=True)
class Signer:
    """The signer's block of a letter: its lines and the name printed under the signature."""

    lines: list[str]
    name: str


def committee_signer(unit_id: str, leader: User | None = None) -> Signer:
    """Who signs a letter of the People's Committee: ``leader`` when a leader took the step
    (a vice-chairman signs "KT. CHỦ TỊCH"), else the chairman — never the official of the
    desk who recorded it."""
    signer = leader if leader is not None else chairman(unit_id)
    if signer is None:
        return Signer(official.signer_lines(""), "")
    return Signer(official.signer_lines(signer.title), signer.display_name)
