"""`motcua stats verify` passes after any sequence of lifecycle actions (property test).

The moves are drawn from the rules written by hand (tests/rules_by_hand.py), so every one is
expected to apply and is checked; refused moves are drawn apart and must change nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as s

from motcua.core.errors import DomainError
from motcua.dossiers.models import Dossier
from motcua.reports import cells as stats
from motcua.reports.models import StatCell
from motcua.workflow import actions
from tests import rules_by_hand as rules
from tests.dossiers.conftest import intake

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
CHANNELS = ["direct", "online_assisted", "post"]
# who acts (an attribute of the ``staff`` fixture) and the roles that person holds
PEOPLE = {
    "specialist": {rules.SPECIALIST},
    "leader": {rules.LEADER},
    "clerk": {rules.CLERK},
    "head": {rules.HEAD, rules.LEADER},
}

step = s.tuples(
    s.integers(0, 10**6),  # which dossier, among those still open
    s.integers(0, 10**6),  # which legal move, among those of its state
    s.integers(0, 10**6),  # which refused move is tried first
    s.integers(10, 60 * 24 * 4),  # minutes later
)


def data_for(dossier, now: datetime) -> actions.ActionInput:
    return actions.ActionInput(
        note="Ghi chú kiểm thử",
        new_due_at=(dossier.due_at or now) + timedelta(days=3),
        collected_by="Nguyễn Văn An",
        transferred_to="Chi nhánh Văn phòng đăng ký đất đai",
    )


def moves(state: str, dossier, now: datetime) -> tuple[list, list]:
    """The (action, who) pairs the hand table allows in ``state``, and those it refuses.

    An apology is also bound by time (DOMAIN.md "Late"): once, and before the due moment.
    """
    legal, refused = [], []
    for action in rules.ACTIONS:
        if action == "submit_online":
            continue  # these dossiers were received at the desk
        for who, roles in PEOPLE.items():
            ok = any(rules.allowed(state, action, role) for role in roles)
            if action == "apologize" and ok:
                if dossier.apologized_at is not None or now >= dossier.due_at:
                    continue  # allowed by the table, refused for its time: neither list
            (legal if ok else refused).append((action, who))
    return legal, refused


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    channels=s.lists(s.sampled_from(CHANNELS), min_size=4, max_size=4),
    steps=s.lists(step, min_size=5, max_size=25),
)
def test_cells_stay_exact_under_any_sequence_of_actions(staff, channels, steps):
    """Only legal moves (by the hand table), every one taken and checked; before each, one
    refused move that must change nothing. The cells then still equal the dossiers."""
    clock = [datetime(2026, 3, 2, 8, 30, tzinfo=LOCAL)]
    taken = 0
    with mock.patch("django.utils.timezone.now", lambda: clock[0]):
        dossiers = []
        for channel in channels:
            draft = actions.create_draft(
                staff.specialist, staff.binh_thanh.desk, intake(channel=channel)
            )
            dossiers.append(actions.perform(draft.pk, staff.specialist, "receive"))
        states = ["received"] * len(dossiers)
        for which, legal_pick, refused_pick, minutes in steps:
            clock[0] += timedelta(minutes=minutes)
            open_ = [i for i, state in enumerate(states) if rules.RULES[state]]
            if not open_:
                break
            i = open_[which % len(open_)]
            dossier = dossiers[i] = Dossier.objects.get(pk=dossiers[i].pk)
            legal, refused = moves(states[i], dossier, clock[0])
            action, who = refused[refused_pick % len(refused)]
            with pytest.raises(DomainError):
                actions.perform(
                    dossier.pk, getattr(staff, who), action, data_for(dossier, clock[0])
                )
            action, who = legal[legal_pick % len(legal)]
            done = actions.perform(
                dossier.pk, getattr(staff, who), action, data_for(dossier, clock[0])
            )
            states[i] = rules.after(states[i], action)
            assert done.state == states[i], (action, who)
            taken += 1
        assert [Dossier.objects.get(pk=d.pk).state for d in dossiers] == states
        # every step drawn was taken, unless all four dossiers had finished before
        assert taken == len(steps) or not any(rules.RULES[state] for state in states)
    assert stats.verify() == []
    call_command("stats", "verify")


def test_verify_finds_a_tampered_cell_and_rebuild_repairs_it(staff):
    draft = actions.create_draft(staff.specialist, staff.binh_thanh.desk, intake())
    actions.perform(draft.pk, staff.specialist, "receive")
    assert stats.verify() == []
    StatCell.objects.update(received=5)
    assert len(stats.verify()) == 1
    with pytest.raises(CommandError, match="lệch với hồ sơ gốc"):
        call_command("stats", "verify")
    call_command("stats", "rebuild")
    assert stats.verify() == []
    assert StatCell.objects.get().received == 1
