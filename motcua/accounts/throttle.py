"""Failed attempts, counted in the database so that every worker sees the same numbers: the
log-in lock-out (per account and per address) and the limits on guessing
(``motcua.portal.ratelimit``); and the client's address they are counted for.

A count lives in a window aligned on the clock (a row of ``FailureCount`` per scope, subject
and window end, moved in one short transaction that holds the row: :func:`_add`); a
lock-out is a row whose end is the moment the lock ends. Rows past their end are dead and
deleted as new windows open.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from functools import lru_cache
from ipaddress import IPv4Address, IPv6Address, ip_address, ip_network

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from motcua.accounts.models import FailureCount
from motcua.core.localtime import local

log = logging.getLogger("motcua.security")

SUBJECT_LENGTH = FailureCount._meta.get_field("subject").max_length

LOCKED = "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {until}."


def now() -> datetime:
    return timezone.now()


# --- the client's address ----------------------------------------------------------------------


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]):
    return tuple(ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _parse(text: str) -> IPv4Address | IPv6Address | None:
    try:
        return ip_address(text.strip())
    except ValueError:
        return None


def _trusted(text: str) -> bool:
    address = _parse(text)
    networks = _networks(tuple(settings.MOTCUA_TRUSTED_PROXIES))
    return address is not None and any(address in network for network in networks)


def client_address(request) -> str:
    """The client's address: ``REMOTE_ADDR``, unless the request comes from a proxy listed
    in ``MOTCUA_TRUSTED_PROXIES`` — then the ``X-Real-IP`` it set, or else the right-most
    address of ``X-Forwarded-For`` that is not one of those proxies (what a client writes
    itself sits on the left of what the proxies appended, and is never believed)."""
    meta = getattr(request, "META", None) or {}
    remote = meta.get("REMOTE_ADDR", "")
    if not _trusted(remote):
        return remote
    real = meta.get("HTTP_X_REAL_IP", "").strip()
    if _parse(real):
        return real
    hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    for hop in reversed(hops):
        if not _trusted(hop):
            return hop if _parse(hop) else remote
    return hops[0] if hops else remote


# --- counts and locks ------------------------------------------------------------------------


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def _moment(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def _add(scope: str, subject: str, expires: int, amount: int = 1) -> int:
    """Add ``amount`` to the row of the key (a new row starts at it); its count. The update
    holds the row (the database file on SQLite) until the transaction ends, so two workers
    counting at once each see their own number; two inserting the same new row: the second
    adds to the first."""
    rows = FailureCount.objects.filter(scope=scope, subject=subject, expires=expires)
    with transaction.atomic():
        if not rows.update(last=F("last") + amount):
            try:
                with transaction.atomic():
                    FailureCount.objects.create(
                        scope=scope, subject=subject, expires=expires, last=amount
                    )
            except IntegrityError:
                rows.update(last=F("last") + amount)
        return rows.values_list("last", flat=True).get()


def window_end(window: int) -> datetime:
    """The end of the current window of ``window`` seconds (windows aligned on the clock)."""
    return _moment((_epoch(now()) // window + 1) * window)


def failures(scope: str, subject: str, *, window: int) -> int:
    """The failures of ``subject`` counted in the current window."""
    row = FailureCount.objects.filter(
        scope=scope, subject=subject[:SUBJECT_LENGTH], expires=_epoch(window_end(window))
    ).first()
    return row.last if row else 0


def count_failure(scope: str, subject: str, *, window: int, amount: int = 1) -> int:
    """Count one failure (or ``amount`` of something, e.g. kilobytes uploaded) of ``subject``
    in the current window; the window's count."""
    count = _add(scope, subject[:SUBJECT_LENGTH], _epoch(window_end(window)), amount)
    if count == amount:  # a new window: the dead ones go
        FailureCount.objects.filter(expires__lte=_epoch(now())).delete()
    return count


def forget(scope: str, subject: str) -> None:
    FailureCount.objects.filter(scope=scope, subject=subject[:SUBJECT_LENGTH]).delete()


def lock(scope: str, subject: str, until: datetime) -> None:
    _add(f"{scope}:lock", subject[:SUBJECT_LENGTH], _epoch(until))


def locked_until(scope: str, subject: str) -> datetime | None:
    """The end of the subject's lock-out in ``scope``, or None when it is not locked."""
    end = FailureCount.objects.filter(
        scope=f"{scope}:lock", subject=subject[:SUBJECT_LENGTH], expires__gt=_epoch(now())
    ).aggregate(end=Max("expires"))["end"]
    return _moment(end) if end is not None else None


# --- log-in ------------------------------------------------------------------------------------

ACCOUNT, ADDRESS = "login-account", "login-address"


def _account(username: str) -> str:
    return username.strip().casefold()


def _subjects(request, username: str) -> list[tuple[str, str, int]]:
    """(scope, subject, limit) of a log-in: the account, and the address when known."""
    subjects = [(ACCOUNT, _account(username), settings.MOTCUA_LOGIN_MAX_FAILURES)]
    address = client_address(request) if request is not None else ""
    if address:
        subjects.append((ADDRESS, address, settings.MOTCUA_LOGIN_MAX_FAILURES_PER_ADDRESS))
    return subjects


def login_locked_until(request, username: str) -> datetime | None:
    """When the log-in of ``username`` from the request's address may be tried again, or
    None when neither the account nor the address is locked."""
    ends = [locked_until(scope, subject) for scope, subject, _ in _subjects(request, username)]
    ends = [end for end in ends if end is not None]
    return max(ends) if ends else None


def record_login_failure(request, username: str) -> None:
    """Count a wrong password; the account or the address that reaches its limit in the
    window is locked out for the lock time (and the lock-out logged)."""
    minutes = settings.MOTCUA_LOGIN_LOCK_MINUTES
    for scope, subject, limit in _subjects(request, username):
        if count_failure(scope, subject, window=minutes * 60) < limit:
            continue
        # to the next whole minute, so that "thử lại sau 10:15" is never too early
        until = _moment(-(-(_epoch(now()) + minutes * 60) // 60) * 60)
        lock(scope, subject, until)
        log.warning(
            "Khoá đăng nhập đến %s (%s=%s sai %d lần trong %d phút; tài khoản %r, địa chỉ %s)",
            until.isoformat(),
            scope,
            subject,
            limit,
            minutes,
            username,
            client_address(request) if request is not None else "",
        )


def record_login_success(request, username: str) -> None:
    """A right password: the account's count starts again (the address's does not)."""
    forget(ACCOUNT, _account(username))


def lockout_message(request, username: str) -> str:
    """The Vietnamese refusal of a locked log-in, or "" when it is not locked."""
    until = login_locked_until(request, username or "")
    if until is None:
        return ""
    shown = local(until)
    when = shown.strftime("%H:%M")
    if shown.date() != local(now()).date():
        when += shown.strftime(" ngày %d/%m/%Y")
    return LOCKED.format(until=when)
