"""Giving (or changing) a satisfaction rating of a dossier: one write, under the dossier's lock,
with its event in the dossier's sealed history (``rate``), so a rating that counts in the
province's scores cannot be added or changed behind the software's back (docs/ratings.md).

The rules (levels, criteria, the change window) are in ``motcua.core.ratings``."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import User
from motcua.core.errors import AccessError
from motcua.core.lifecycle import CITIZEN, EventKind, State
from motcua.core.ratings import (
    CHANNEL_LABELS,
    LEVELS,
    Channel,
    RatingError,
    check_answer,
    check_open,
)
from motcua.dossiers.ledger import append_event, lock_dossier
from motcua.dossiers.models import Dossier, Rating
from motcua.units.access import OFFICIAL_ROLES

# the channels a citizen uses alone (the tracking token is their key); the others need an
# official of the dossier's unit: the kiosk tablet is theirs, and "on behalf" is them
PUBLIC = frozenset({Channel.QR, Channel.MESSAGE})


def check_channel(channel: str, dossier: Dossier, official: User | None) -> Channel:
    try:
        channel = Channel(channel)
    except ValueError:
        allowed = ", ".join(c.value for c in Channel)
        raise RatingError(f"Kênh đánh giá phải là một trong: {allowed}.") from None
    if channel in PUBLIC:
        return channel
    if (
        official is None
        or not official.is_authenticated
        or official.unit_id != dossier.unit_id
        or not official.has_role(*OFFICIAL_ROLES)
    ):
        raise AccessError(
            "Chỉ cán bộ của đơn vị giải quyết hồ sơ mới mở được đánh giá tại quầy "
            "hoặc ghi thay người dân.",
            "role_required",
        )
    return channel


def rate_dossier(
    dossier_id,
    channel: str,
    level,
    criteria=None,
    *,
    official: User | None = None,
    address: str = "",
) -> Rating:
    """The citizen's rating of a returned dossier on ``channel``: a new one, or the change of
    theirs on that channel while it is open. ``official``: who entered it for them (channel
    ``official``) or whose kiosk it was given on (``desk``); None on the citizen's own phone."""
    with transaction.atomic():
        dossier = lock_dossier(dossier_id)
        channel = check_channel(channel, dossier, official)
        if criteria is not None and not isinstance(criteria, dict):
            raise RatingError("Các tiêu chí phải là một đối tượng {mã tiêu chí: điểm}.")
        answer = check_answer(level, criteria)
        if dossier.state != State.RETURNED:
            raise RatingError("Hồ sơ chưa trả kết quả nên chưa đánh giá được.", "not_returned")
        now = timezone.now()
        rating = Rating.objects.filter(dossier=dossier, channel=channel).first()
        check_open(rating.created_at if rating else None, now)
        on_behalf = channel == Channel.OFFICIAL
        if rating is None:
            rating = Rating(
                dossier=dossier, unit_id=dossier.unit_id, channel=channel, created_at=now
            )
        rating.level, rating.criteria, rating.updated_at = answer.level, answer.criteria, now
        rating.entered_by = Rating.EnteredBy.OFFICIAL if on_behalf else Rating.EnteredBy.CITIZEN
        rating.official = official if channel not in PUBLIC else None
        rating.address = address[:64]
        rating.save()
        append_event(
            dossier,
            EventKind.RATE,
            actor=rating.official if on_behalf else None,
            role=CITIZEN,
            at=now,
            note=f"{LEVELS[answer.level]} ({CHANNEL_LABELS[channel].lower()})",
            data={"channel": channel.value, "level": answer.level, "criteria": answer.criteria},
        )
    return rating
