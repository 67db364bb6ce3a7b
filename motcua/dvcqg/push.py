"""Sending the outbox to the portal: in order per dossier, once each, with retries.

One pass (:func:`push`) sends every row that is due, oldest first. The order of one dossier's
rows is the order of its events (their ids grow with their ``seq``: the dossier's row lock
serialises its writers), and a dossier whose row failed sends nothing more until that row goes
through, so the portal never hears of a step before the dossier's upsert or of two steps out
of order. Each row is marked sent in its own transaction as soon as the portal accepts it; a
pusher killed between the portal's answer and that mark re-sends that one row, which the
portal applies as the same upsert or the same step (docs/portal.md "Idempotence").

Failures:

- the portal unreachable (network, timeout, HTTP 5xx): the pass stops, the row is tried again
  after a back-off (30 s doubling up to ``MOTCUA_DVCQG_MAX_BACKOFF``), without end — the
  desk keeps working and the outbox grows until the portal returns;
- the log-in refused: the pass stops and the sync page says so;
- a call refused (``error_code`` ≠ 0): that dossier waits with a back-off, the others go on;
  after ``MOTCUA_DVCQG_MAX_TRIES`` refusals the row is dead (dừng gửi) until an official
  resends it from the sync page.

Within a pass, ``MOTCUA_DVCQG_LANES`` lanes send at once (threads, each with its own HTTP and
database connections), a dossier's rows always in the same lane: the portal's latency, not our
work, bounds a sequential push. One pusher at a time: a lease in
:class:`~.models.ConnectorState` (another process takes over when it lapses, e.g. after a crash).
"""

from __future__ import annotations

import json
import os
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from motcua.core.dvcqg import UPSERT, next_retry
from motcua.dossiers.models import DossierSync
from motcua.dvcqg.client import Connector, LoginRefused, Refused, Unreachable
from motcua.dvcqg.models import DUE_CONDITION, UNSENT_CONDITION, ConnectorState, OutboxRow

BATCH = 200


@dataclass
class PushResult:
    sent: int = 0
    refused: int = 0
    dead: int = 0
    left: int = 0  # rows not sent when the pass ended
    stopped: str = ""  # why the pass ended early (Vietnamese), empty when it drained
    busy: bool = False  # another pusher holds the lease

    @property
    def drained(self) -> bool:
        return self.left == 0 and not self.busy


def holder_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:80]


def take_lease(holder: str, now: datetime) -> bool:
    """Hold the push for ``MOTCUA_DVCQG_LEASE_SECONDS`` (True), unless another holds it."""
    ConnectorState.objects.get_or_create(pk=1)
    return _extend_lease(holder, now)


def _extend_lease(holder: str, now: datetime) -> bool:
    """The lease's UPDATE (its row exists): held from ``now`` on, if free or already ours."""
    until = now + timedelta(seconds=settings.MOTCUA_DVCQG_LEASE_SECONDS)
    free = Q(held_until__isnull=True) | Q(held_until__lt=now) | Q(holder=holder)
    return ConnectorState.objects.filter(free, pk=1).update(holder=holder, held_until=until) == 1


def release_lease(holder: str) -> None:
    ConnectorState.objects.filter(pk=1, holder=holder).update(holder="", held_until=None)


def _answer_text(answer: object) -> str:
    return json.dumps(answer, ensure_ascii=False)[:2000] if answer is not None else ""


def unsent_count() -> int:
    return OutboxRow.objects.filter(UNSENT_CONDITION).count()


def push(
    connector: Connector | None = None,
    *,
    now: datetime | None = None,
    force: bool = False,
    limit: int | None = None,
) -> PushResult:
    """One pass over the outbox (see the module's note). ``force``: ignore the back-off of an
    unreachable portal and the rows' waiting times (the command line's "gửi ngay")."""
    result = PushResult()
    holder = holder_name()
    start = now or timezone.now()
    if not take_lease(holder, start):
        result.busy = True
        result.stopped = "Một tiến trình khác đang gửi lên Cổng DVCQG."
        return result
    own = connector is None
    connector = connector or Connector()
    try:
        state = ConnectorState.objects.get(pk=1)
        if not force and state.paused_until and state.paused_until > start:
            result.stopped = "Cổng DVCQG đang lỗi; sẽ thử lại lúc " + timezone.localtime(
                state.paused_until
            ).strftime("%H:%M:%S %d/%m/%Y")
        else:
            with relaxed_commits():
                _pass(connector, result, holder, force, limit)
            if result.sent and not result.stopped:
                ConnectorState.objects.filter(pk=1).update(last_success_at=timezone.now())
    finally:
        if own:
            connector.close()
        release_lease(holder)
    result.left = OutboxRow.objects.filter(DUE_CONDITION).count()
    return result


def _pass(connector: Connector, result: PushResult, holder: str, force: bool, limit) -> None:
    now = timezone.now()
    blocked = set()
    if not force:
        # A dossier whose failed row is not due yet sends nothing after it.
        waiting = DossierSync.objects.filter(
            failing=True,
            dossier__portal_rows__status=OutboxRow.Status.FAILED,
            dossier__portal_rows__next_try_at__gt=now,
        )
        blocked |= set(waiting.values_list("dossier_id", flat=True))
    blocked |= set(
        OutboxRow.objects.filter(status=OutboxRow.Status.DEAD).values_list("dossier_id", flat=True)
    )
    lanes = max(1, settings.MOTCUA_DVCQG_LANES)
    after = 0
    while not result.stopped:
        due = OutboxRow.objects.filter(DUE_CONDITION, id__gt=after).order_by("id")
        if not force:
            due = due.filter(Q(next_try_at__isnull=True) | Q(next_try_at__lte=now))
        batch = list(due[:BATCH])
        if not batch:
            return
        after = batch[-1].id
        rows = [row for row in batch if row.dossier_id not in blocked]
        if limit is not None:
            rows = rows[: max(0, limit - result.sent - result.refused)]
            if not rows:
                return
        # One lane per group of dossiers: a dossier's rows stay in one lane, in order.
        groups: dict[int, list[OutboxRow]] = {}
        for row in rows:
            groups.setdefault(hash(row.dossier_id) % lanes, []).append(row)
        if not groups:
            continue
        if len(groups) == 1:
            _lane(connector, next(iter(groups.values())), result, blocked)
        else:
            with ThreadPoolExecutor(len(groups), thread_name_prefix="dvcqg-lane") as pool:
                for done in [
                    pool.submit(_lane_thread, connector.config, group, result, blocked)
                    for group in groups.values()
                ]:
                    done.result()
        _extend_lease(holder, timezone.now())  # still here: keep the lease


_tally = threading.Lock()


def _lane(connector: Connector, rows: list[OutboxRow], result: PushResult, blocked: set) -> None:
    """Send one lane's rows in order; stop the whole pass on an unreachable portal."""
    for row in rows:
        if result.stopped:
            return
        if row.dossier_id in blocked:
            continue
        outcome = send_row(connector, row)
        with _tally:
            if outcome == "sent":
                if result.sent == 0:
                    _connector_worked()
                result.sent += 1
                continue
            blocked.add(row.dossier_id)
            if outcome == "refused":
                result.refused += 1
            elif outcome == "dead":
                result.dead += 1
            else:
                result.stopped = outcome


def _lane_thread(config, rows: list[OutboxRow], result: PushResult, blocked: set) -> None:
    """A lane in its own thread: its own connection to the portal and to the database."""
    connector = Connector(config)
    try:
        with relaxed_commits():
            _lane(connector, rows, result, blocked)
    finally:
        connector.close()
        connection.close()


def send_row(connector: Connector, row: OutboxRow) -> str:
    """Send one row and record the outcome: "sent", "refused", "dead", or (the pass must
    stop) the Vietnamese reason."""
    try:
        answer = connector.call(row.payload)
    except Refused as exc:
        return _refused(row, exc)
    except LoginRefused as exc:
        _connector_failed(exc.message, login=True, attempts=_attempt(row, exc.message))
        return exc.message
    except Unreachable as exc:
        _connector_failed(exc.message, login=False, attempts=_attempt(row, exc.message))
        return exc.message
    mark_sent(row, timezone.now(), _answer_text(answer))
    return "sent"


# One statement marks the row and moves its dossier's sync record (PostgreSQL): one round trip
# a row instead of five (BEGIN, two UPDATEs, COMMIT), the hot path of draining a backlog.
MARK_SENT_SQL = f"""
WITH sent AS (
    UPDATE {OutboxRow._meta.db_table}
    SET status = 'sent', attempts = attempts + 1, sent_at = %(at)s, next_try_at = NULL,
        answer = %(answer)s
    WHERE id = %(id)s
    RETURNING dossier_id
)
UPDATE {DossierSync._meta.db_table} AS s
SET pending = s.pending - 1, last_synced_at = %(at)s, failing = false,
    first_synced_at = CASE WHEN %(upsert)s THEN COALESCE(s.first_synced_at, %(at)s)
                           ELSE s.first_synced_at END
FROM sent WHERE s.dossier_id = sent.dossier_id
"""


def mark_sent(row: OutboxRow, at: datetime, answer: str) -> None:
    """The row sent and its dossier's sync record moved, atomically."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                MARK_SENT_SQL,
                {"at": at, "answer": answer, "id": row.pk, "upsert": row.service == UPSERT},
            )
        return
    with transaction.atomic():
        OutboxRow.objects.filter(pk=row.pk).update(
            status=OutboxRow.Status.SENT,
            attempts=F("attempts") + 1,
            sent_at=at,
            next_try_at=None,
            answer=answer,
        )
        sync = {"pending": F("pending") - 1, "last_synced_at": at, "failing": False}
        if row.service == UPSERT:
            sync["first_synced_at"] = Coalesce("first_synced_at", at)
        DossierSync.objects.filter(pk=row.dossier_id).update(**sync)


@contextmanager
def relaxed_commits():
    """On PostgreSQL, the pass's marks commit without waiting for the disk (synchronous_commit
    off for this connection, until the pass ends): a database crash may forget the last marks
    of a fraction of a second, and those rows are sent again — the same upsert or step, which
    the portal applies once — while a row no longer costs a disk flush."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def _connector_worked() -> None:
    """The portal answered this pass: the sync page's "last success", any failure cleared."""
    ConnectorState.objects.filter(pk=1).update(
        last_success_at=timezone.now(), failing_since=None, login_refused=False, paused_until=None
    )


def _attempt(row: OutboxRow, message: str) -> int:
    """A try that did not reach the portal's judgement: count it, retry after the back-off."""
    attempts = row.attempts + 1
    wait = next_retry(attempts, timedelta(seconds=settings.MOTCUA_DVCQG_MAX_BACKOFF))
    with transaction.atomic():
        OutboxRow.objects.filter(pk=row.pk).update(
            status=OutboxRow.Status.FAILED,
            attempts=attempts,
            next_try_at=timezone.now() + wait,
            answer=message[:2000],
        )
        DossierSync.objects.filter(pk=row.dossier_id).update(failing=True)
    return attempts


def _refused(row: OutboxRow, exc: Refused) -> str:
    attempts = row.attempts + 1
    dead = attempts >= settings.MOTCUA_DVCQG_MAX_TRIES
    wait = next_retry(attempts, timedelta(seconds=settings.MOTCUA_DVCQG_MAX_BACKOFF))
    with transaction.atomic():
        OutboxRow.objects.filter(pk=row.pk).update(
            status=OutboxRow.Status.DEAD if dead else OutboxRow.Status.FAILED,
            attempts=attempts,
            next_try_at=None if dead else timezone.now() + wait,
            answer=_answer_text(exc.answer) or exc.message,
        )
        DossierSync.objects.filter(pk=row.dossier_id).update(failing=True)
    return "dead" if dead else "refused"


def _connector_failed(message: str, *, login: bool, attempts: int) -> None:
    now = timezone.now()
    wait = next_retry(attempts, timedelta(seconds=settings.MOTCUA_DVCQG_MAX_BACKOFF))
    ConnectorState.objects.filter(pk=1).update(
        last_failure_at=now,
        last_failure=message[:2000],
        failing_since=Coalesce("failing_since", now),
        login_refused=login,
        paused_until=now + wait,
    )


def resend(rows) -> int:
    """Put failed or dead rows back in the queue, due now (the sync page's "gửi lại")."""
    with transaction.atomic():
        picked = list(
            rows.filter(status__in=[OutboxRow.Status.FAILED, OutboxRow.Status.DEAD]).values_list(
                "pk", flat=True
            )
        )
        OutboxRow.objects.filter(pk__in=picked).update(
            status=OutboxRow.Status.PENDING, attempts=0, next_try_at=None
        )
        ConnectorState.objects.filter(pk=1).update(paused_until=None)
    return len(picked)
