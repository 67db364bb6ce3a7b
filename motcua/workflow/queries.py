"""Reads of the desk's workflow: what waits for whom (Việc của tôi) and the desk's search.

The worklist is a to-do list. A dossier is on the user's own tab when its next step is theirs:

- a specialist: online submissions of their fields to receive; received or in-review dossiers
  assigned to them (or not yet assigned, in their fields); their own unfinished drafts;
- a leader: results waiting for approval and signature;
- a clerk: results waiting for a number and the seal.

The other tabs: waiting for someone else (in progress, the next step not the user's), waiting
for the citizen to supplement, waiting for the citizen to collect the result. A specialist
with fields sees those of their fields and dossiers assigned to them; heads, deputies, leaders
and clerks see the whole unit. Overdue (quá hạn) is one rule everywhere:
``dossiers.queries.overdue``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
from django.db.models import (
    Case,
    Count,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from motcua.accounts.models import User
from motcua.core import lifecycle
from motcua.core.lifecycle import Action, State
from motcua.core.localtime import LOCAL_TZ
from motcua.core.text import fold
from motcua.dossiers.models import Dossier
from motcua.dossiers.queries import overdue_condition

TABS = {
    "mine": "Việc của tôi",
    "others": "Đang chờ người khác",
    "supplement": "Chờ công dân bổ sung",
    "collect": "Chờ công dân nhận kết quả",
}
RUNNING = [s.value for s in lifecycle.IN_PROGRESS if s != State.AWAITING_SUPPLEMENT]
# What the worklist shows of a dossier (and nothing else is read).
COLUMNS = (
    "id",
    "code",
    "state",
    "channel",
    "applicant_name",
    "due_at",
    "submitted_at",
    "received_at",
    "created_at",
    "pending_supplement_since",
    "assigned_to_id",
    "procedure_version__name",
    "procedure_version__field_id",
    "unit_id",
)


def user_fields(user: User) -> list[int]:
    """The fields a specialist handles (read once per request object)."""
    cached = getattr(user, "_field_ids", None)
    if cached is None:
        cached = user._field_ids = list(user.fields.values_list("pk", flat=True))
    return cached


def completion_asked(user: User) -> list:
    """The drafts of the user's commune whose applicant was asked to complete them at reception
    (Mẫu 02): few, read once per request object (a correlated subquery per row cost more)."""
    cached = getattr(user, "_completion_asked", None)
    if cached is None:
        # From the unit's few drafts (index unit, state) to their events (index dossier, seq).
        cached = user._completion_asked = list(
            Dossier.objects.filter(
                unit_id=user.unit_id,
                state=State.DRAFT,
                events__action=Action.REQUEST_COMPLETION,
            )
            .values_list("pk", flat=True)
            .distinct()
        )
    return cached


def in_fields(user: User) -> Q:
    fields = user_fields(user)
    return Q(procedure_version__field_id__in=fields) if fields else Q()


def scope(user: User) -> Q:
    """The dossiers of the user's unit that concern them: for a specialist with fields, those
    of their fields and those assigned to or made by them; for the others, all."""
    roles = user.role_codes()
    if lifecycle.SPECIALIST in roles and not roles & {
        lifecycle.HEAD,
        lifecycle.DEPUTY,
        lifecycle.LEADER,
        lifecycle.CLERK,
    }:
        if user_fields(user):
            return in_fields(user) | Q(assigned_to=user) | Q(created_by=user)
    return Q()


def my_next_step(user: User) -> Q:
    """Dossiers whose next step is the user's to take."""
    roles = user.role_codes()
    mine = Q(pk__in=[])
    if lifecycle.SPECIALIST in roles:
        # an online dossier the duty roster offered to someone is theirs to receive
        mine |= Q(state=State.AWAITING_RECEPTION) & (
            Q(assigned_to=user) | (Q(assigned_to__isnull=True) & in_fields(user))
        )
        mine |= Q(state__in=[State.RECEIVED, State.IN_REVIEW]) & (
            Q(assigned_to=user) | (Q(assigned_to__isnull=True) & in_fields(user))
        )
        mine |= Q(state=State.DRAFT, created_by=user) & ~Q(pk__in=completion_asked(user))
    if lifecycle.LEADER in roles:
        mine |= Q(state=State.AWAITING_APPROVAL)
    if lifecycle.CLERK in roles:
        mine |= Q(state=State.AWAITING_ISSUE)
    return mine


def tab_filter(user: User, tab: str) -> Q:
    if tab == "mine":
        return my_next_step(user)
    if tab == "supplement":
        return scope(user) & (
            Q(state=State.AWAITING_SUPPLEMENT) | Q(state=State.DRAFT, pk__in=completion_asked(user))
        )
    if tab == "collect":
        return scope(user) & Q(state=State.DONE)
    # others: in progress or to be received, not the user's next step
    return scope(user) & Q(state__in=[*RUNNING, State.AWAITING_RECEPTION]) & ~my_next_step(user)


@dataclass(frozen=True)
class WorkFilters:
    """The desk's search box and filters (all optional)."""

    text: str = ""
    field: int | None = None
    procedure: str = ""
    state: str = ""
    channel: str = ""

    @property
    def searching(self) -> bool:
        return bool(self.text.strip())


def search(qs: QuerySet[Dossier], text: str) -> QuerySet[Dossier]:
    """Code (whole or its start), applicant name without diacritics, or the last digits of the
    citizen ID or phone (at least 4)."""
    text = " ".join(text.split())
    if not text:
        return qs
    digits = "".join(ch for ch in text if ch.isdigit())
    found = Q(code__istartswith=text) | Q(applicant_folded__contains=fold(text))
    if len(digits) >= 4 and len(digits) == len(text.replace(" ", "")):
        found |= Q(applicant_id_number__endswith=digits) | Q(applicant_phone__endswith=digits)
    return qs.filter(found)


def filtered(qs: QuerySet[Dossier], f: WorkFilters) -> QuerySet[Dossier]:
    if f.field:
        qs = qs.filter(procedure_version__field_id=f.field)
    if f.procedure:
        qs = qs.filter(procedure__code=f.procedure)
    if f.state:
        qs = qs.filter(state=f.state)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    return search(qs, f.text)


# Every state a tab can show: the index (unit, state, due_at) narrows to these first.
ON_A_TAB = [*RUNNING, State.AWAITING_SUPPLEMENT, State.AWAITING_RECEPTION, State.DRAFT, State.DONE]


def base(user: User) -> QuerySet[Dossier]:
    """The user's unit's dossiers, reading only the worklist's columns."""
    return (
        Dossier.objects.filter(unit_id=user.unit_id)
        .select_related("procedure_version")
        .only(*COLUMNS)
    )


def ordered(qs: QuerySet[Dossier], now: datetime) -> QuerySet[Dossier]:
    """Overdue first, due today next, then by due moment (a submission not yet received by
    the moment it was submitted)."""
    end_of_day = datetime.combine(
        now.astimezone(LOCAL_TZ).date() + timedelta(days=1), datetime.min.time(), LOCAL_TZ
    )
    urgency = Case(
        When(overdue_condition(now), then=Value(0)),
        When(Q(state__in=RUNNING, due_at__lt=end_of_day), then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return qs.annotate(
        urgency=urgency, sort_at=Coalesce("due_at", "submitted_at", "created_at")
    ).order_by("urgency", "sort_at", "id")


def worklist(user: User, tab: str = "mine", filters: WorkFilters | None = None, *, now: datetime):
    """The dossiers of one tab (or, when searching, of the whole unit), most urgent first."""
    f = filters or WorkFilters()
    qs = base(user)
    if not f.searching:
        qs = qs.filter(tab_filter(user, tab))
    return ordered(filtered(qs, f), now)


def tab_counts(user: User, filters: WorkFilters | None = None) -> dict[str, int]:
    """How many dossiers each tab holds (the filters applied, the search text not): one
    query, its SQL built once per process for each set of what it depends on (see
    :func:`counts_statement`)."""
    f = filters or WorkFilters()
    f = WorkFilters(field=f.field, procedure=f.procedure, state=f.state, channel=f.channel)
    key = (
        user.pk,
        user.unit_id,
        user.role_codes(),
        tuple(user_fields(user)),
        tuple(completion_asked(user)),
        f,
    )
    statement = _COUNTS.get(key)
    if statement is None:
        if len(_COUNTS) >= COUNTS_KEPT:
            _COUNTS.clear()
        statement = _COUNTS[key] = counts_statement(user, f)
    sql, params = statement
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return dict(zip(TABS, row, strict=True)) if row else dict.fromkeys(TABS, 0)


# The SQL of the tab counts, by what it depends on: the user (id, unit, roles, fields), the
# drafts whose applicant was asked to complete them, the filters. Django took 7 ms to build the
# four conditional counts on every worklist page (a fifth of the page); the database's work is
# the same either way. Any change to those inputs is a new key, so an entry is never stale.
_COUNTS: dict[tuple, tuple[str, tuple]] = {}
COUNTS_KEPT = 1000


def counts_statement(user: User, f: WorkFilters) -> tuple[str, tuple]:
    """The one query counting the four tabs (conditional counts), as (SQL, parameters): the
    user's unit's dossiers grouped by that unit, so one row, or none when it has none."""
    qs = (
        filtered(base(user).filter(state__in=ON_A_TAB), f)
        .order_by()
        .values("unit_id")
        .annotate(**{tab: Count("pk", filter=tab_filter(user, tab)) for tab in TABS})
        .values_list(*TABS)
    )
    return qs.query.sql_with_params()


# The step that moves a dossier forward from each state (what the worklist says to do next).
NEXT_STEP: dict[State, Action] = {
    State.DRAFT: Action.RECEIVE,
    State.AWAITING_RECEPTION: Action.RECEIVE,
    State.RECEIVED: Action.START_REVIEW,
    State.IN_REVIEW: Action.SUBMIT_FOR_APPROVAL,
    State.AWAITING_SUPPLEMENT: Action.RECEIVE_SUPPLEMENT,
    State.AWAITING_APPROVAL: Action.APPROVE,
    State.AWAITING_ISSUE: Action.ISSUE,
    State.DONE: Action.RETURN_RESULT,
}


def next_step(state: str) -> tuple[Action, frozenset[str]] | None:
    """The forward step from ``state`` and the roles that may take it (None when ended)."""
    action = NEXT_STEP.get(State(state))
    return (action, lifecycle.TRANSITIONS[action].roles) if action else None


def next_actions(state: str, roles: frozenset[str]) -> list[Action]:
    """What the user may do now on a dossier in ``state`` (the buttons of its page), the
    citizen's own online submission left out."""
    return [a for a in lifecycle.available_actions(state, roles) if a != Action.SUBMIT_ONLINE]


# --- the officials' workload (the roster's offering, the workload page) -----------------------

OPEN_STATES = [*RUNNING, State.AWAITING_RECEPTION.value, State.AWAITING_SUPPLEMENT.value]
SOON = timedelta(days=3)


@dataclass(frozen=True)
class Load:
    open: int = 0  # assigned to them and not ended (waiting for the applicant included)
    due_soon: int = 0  # of those in progress, due within three days
    overdue: int = 0


def workload(unit_id: str, now: datetime, officials=None) -> dict[int, Load]:
    """Each official's open dossiers of the unit, in one grouped query."""
    qs = Dossier.objects.filter(unit_id=unit_id, state__in=OPEN_STATES, assigned_to__isnull=False)
    if officials is not None:
        qs = qs.filter(assigned_to__in=list(officials))
    rows = qs.values("assigned_to").annotate(
        open=Count("pk"),
        due_soon=Count(
            "pk",
            filter=Q(
                state__in=RUNNING,
                pending_supplement_since__isnull=True,
                due_at__gte=now,
                due_at__lt=now + SOON,
            ),
        ),
        overdue=Count("pk", filter=overdue_condition(now)),
    )
    return {r["assigned_to"]: Load(r["open"], r["due_soon"], r["overdue"]) for r in rows}
