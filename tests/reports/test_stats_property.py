"""`motcua stats verify` passes after any sequence of lifecycle actions (property test)."""

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
from motcua.core.lifecycle import Action
from motcua.reports import cells as stats
from motcua.reports.models import StatCell
from motcua.workflow import actions
from tests.dossiers.conftest import intake

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
ACTIONS = [a.value for a in Action if a not in (Action.SUBMIT_ONLINE,)]
CHANNELS = ["direct", "online_assisted", "post"]

step = s.tuples(
    s.integers(0, 3),  # which dossier
    s.sampled_from(ACTIONS),
    s.sampled_from(["specialist", "leader", "clerk", "head"]),
    s.integers(10, 60 * 24 * 4),  # minutes later
)


def data_for(action: str, now: datetime) -> actions.ActionInput:
    return actions.ActionInput(
        note="Ghi chú kiểm thử",
        new_due_at=now + timedelta(days=3),
        collected_by="Nguyễn Văn An",
        transferred_to="Chi nhánh Văn phòng đăng ký đất đai",
    )


@pytest.mark.django_db
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    channels=s.lists(s.sampled_from(CHANNELS), min_size=4, max_size=4),
    steps=s.lists(step, max_size=25),
)
def test_cells_stay_exact_under_any_sequence_of_actions(staff, channels, steps):
    users = {
        "specialist": staff.specialist,
        "leader": staff.leader,
        "clerk": staff.clerk,
        "head": staff.head,
    }
    clock = [datetime(2026, 3, 2, 8, 30, tzinfo=LOCAL)]
    with mock.patch("django.utils.timezone.now", lambda: clock[0]):
        dossiers = []
        for channel in channels:
            draft = actions.create_draft(
                staff.specialist, staff.binh_thanh.desk, intake(channel=channel)
            )
            dossiers.append(actions.perform(draft.pk, staff.specialist, "receive"))
        for index, action, role, minutes in steps:
            clock[0] += timedelta(minutes=minutes)
            try:
                actions.perform(dossiers[index].pk, users[role], action, data_for(action, clock[0]))
            except DomainError:
                pass  # not allowed in that state or for that role: nothing changes
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
