"""Satisfaction ratings, the citizen's pages (docs/ratings.md).

- ``/danh-gia/<token>/``: the citizen's own page, reached by the QR code of the slip and the
  result (``?kenh=qr``) or the link in the return message (``?kenh=tin-nhan``); no log-in, the
  dossier's tracking token is the key.
- ``/danh-gia/``: the desk's tablet in kiosk mode. An official of the desk opens it once,
  logged in; it waits, and as soon as that official returns a dossier it offers the citizen at
  the counter the five big buttons for it, thanks them and waits again.
"""

from __future__ import annotations

from datetime import timedelta

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from motcua.accounts.throttle import client_address
from motcua.core.errors import AccessError, DomainError
from motcua.core.lifecycle import Action, State
from motcua.core.ratings import CHANGE_DAYS, CRITERIA, CRITERION_SCORES, LEVELS, Channel
from motcua.dossiers.models import Dossier, DossierEvent, Rating
from motcua.dossiers.ratings import rate_dossier
from motcua.portal.ratelimit import blocked_until, count_failure
from motcua.portal.views_tracking import (
    LIMIT,
    TOKEN_NOT_FOUND,
    WINDOW,
    dossier_by_token,
    too_many,
)
from motcua.queue.actions import current_ticket
from motcua.units.access import is_official, staff_required

VIA = {"qr": Channel.QR, "tin-nhan": Channel.MESSAGE}
# how long after the return the kiosk still offers the dossier to the citizen at the counter
KIOSK_MINUTES = 20


def answer_of(post) -> tuple[str, dict]:
    """The level and the criteria a form sent (criteria left at "—" are not scored)."""
    criteria = {}
    for key in CRITERIA:
        value = post.get(f"tieu-chi-{key}", "")
        if value != "":
            criteria[key] = int(value) if value.isdigit() else value
    return post.get("level", ""), criteria


def form_context(dossier: Dossier, rating: Rating | None, **extra) -> dict:
    return {
        "dossier": dossier,
        "rating": rating,
        "levels": sorted(LEVELS.items(), reverse=True),
        "criteria": list(CRITERIA.items()),
        "scores": list(CRITERION_SCORES.items()),
        "change_days": CHANGE_DAYS,
        **extra,
    }


def rate_by_token(request, token: str):
    until = blocked_until(request, "tracking", limit=LIMIT, window=WINDOW)
    if until is not None:
        return too_many(request, until)
    dossier = dossier_by_token(request, token)
    if dossier is None:
        count_failure(request, "tracking", window=WINDOW)
        return render(request, "portal/tracking.html", {"error": TOKEN_NOT_FOUND}, status=404)
    via = request.GET.get("kenh", "qr")
    channel = VIA.get(via, Channel.QR)
    rating = Rating.objects.filter(dossier=dossier, channel=channel).first()
    error, status, done = "", 200, False
    if request.method == "POST":
        level, criteria = answer_of(request.POST)
        try:
            rating = rate_dossier(
                dossier.pk, channel, level, criteria, address=client_address(request)
            )
            done = True
        except DomainError as exc:
            error, status = exc.message, exc.status
    elif dossier.state != State.RETURNED:
        error = "Hồ sơ chưa trả kết quả; ông/bà đánh giá được sau khi nhận kết quả."
    return render(
        request,
        "portal/rating.html",
        form_context(
            dossier,
            rating,
            error=error,
            done=done,
            via=via if via in VIA else "qr",
            open=dossier.state == State.RETURNED,
        ),
        status=status,
    )


def check_desk_official(user) -> None:
    if not is_official(user):
        raise AccessError("Chỉ cán bộ của xã mới mở được máy đánh giá tại quầy.", "role_required")


def just_returned(user) -> Dossier | None:
    """The dossier this official returned last, in the last KIOSK_MINUTES, if it has no rating
    from the desk's tablet yet."""
    since = timezone.now() - timedelta(minutes=KIOSK_MINUTES)
    event = (
        DossierEvent.objects.filter(action=Action.RETURN_RESULT, actor=user, at__gte=since)
        .exclude(dossier__ratings__channel=Channel.DESK)
        .select_related("dossier__procedure_version")
        .order_by("-at")
        .first()
    )
    return event.dossier if event else None


@staff_required
def kiosk(request):
    check_desk_official(request.user)
    return render(request, "portal/rating_kiosk.html", kiosk_context(request.user))


def kiosk_context(user) -> dict:
    """The rating of the dossier just returned; while the official serves a queue number,
    the tablet greets that number (the rating follows the service)."""
    dossier = just_returned(user)
    if dossier:
        return form_context(dossier, None)
    return {"dossier": None, "ticket": current_ticket(user)}


@staff_required
def kiosk_panel(request):
    """What the tablet shows now (htmx polls it every few seconds while it waits)."""
    check_desk_official(request.user)
    return render(request, "portal/_rating_kiosk_panel.html", kiosk_context(request.user))


@require_POST
@staff_required
def kiosk_rate(request, pk):
    check_desk_official(request.user)
    dossier = get_object_or_404(Dossier, pk=pk)
    level, criteria = answer_of(request.POST)
    try:
        rate_dossier(
            dossier.pk,
            Channel.DESK,
            level,
            criteria,
            official=request.user,
            address=client_address(request),
        )
    except DomainError as exc:
        # said on the tablet (htmx swaps a 200 only)
        context = form_context(dossier, None, error=exc.message)
        return render(request, "portal/_rating_kiosk_panel.html", context)
    return render(request, "portal/_rating_kiosk_panel.html", {"dossier": None, "thanks": True})
