from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from motcua.core.errors import DomainError
from motcua.core.lifecycle import State
from motcua.core.localtime import LOCAL_TZ
from motcua.dossiers.integrity import log_problems
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.workflow import actions
from tests.dossiers.conftest import intake

pytestmark = pytest.mark.django_db


def receive(world, **overrides):
    draft = actions.create_draft(world.specialist, world.binh_thanh.desk, intake(**overrides))
    return actions.perform(draft.pk, world.specialist, "receive")


def test_the_five_steps_by_the_five_roles(staff):
    d = receive(staff)
    assert d.state == State.RECEIVED
    assert d.code.startswith("T.05605-") and d.code.endswith("-0001")
    assert d.due_at > d.received_at
    for user, action, state in [
        (staff.specialist, "start_review", State.IN_REVIEW),
        (staff.specialist, "submit_for_approval", State.AWAITING_APPROVAL),
        (staff.leader, "approve", State.AWAITING_ISSUE),
        (staff.clerk, "issue", State.DONE),
    ]:
        d = actions.perform(d.pk, user, action)
        assert d.state == state
    d = actions.perform(
        d.pk, staff.specialist, "return_result", actions.ActionInput(collected_by="Nguyễn Văn An")
    )
    assert d.state == State.RETURNED
    assert d.timeliness == "early"
    assert d.paper_location == "returned"
    assert d.ended_at == d.done_at
    events = list(d.events.order_by("seq").values_list("action", "actor_role"))
    assert events == [
        ("create", "specialist"),
        ("receive", "specialist"),
        ("start_review", "specialist"),
        ("submit_for_approval", "specialist"),
        ("approve", "leader"),
        ("issue", "clerk"),
        ("return_result", "specialist"),
    ]
    assert log_problems() == []


def test_incomplete_dossier_is_not_received_and_nothing_changes(staff):
    draft = actions.create_draft(
        staff.specialist, staff.binh_thanh.desk, intake(components=["Dự thảo hợp đồng"])
    )
    with pytest.raises(DomainError, match="Hồ sơ còn thiếu: Giấy tờ tùy thân"):
        actions.perform(draft.pk, staff.specialist, "receive")
    draft.refresh_from_db()
    assert draft.state == State.DRAFT and draft.code is None
    assert draft.events.count() == 1
    # the supplement request keeps the draft; it completes later without retyping
    actions.perform(
        draft.pk,
        staff.specialist,
        "request_completion",
        actions.ActionInput(note="Bổ sung bản sao giấy tờ tùy thân"),
    )
    d = actions.perform(
        draft.pk,
        staff.specialist,
        "receive",
        actions.ActionInput(components=["Dự thảo hợp đồng", "Giấy tờ tùy thân"]),
    )
    assert d.state == State.RECEIVED and d.applicant_name == "Nguyễn Văn An"


@pytest.mark.parametrize(
    "applicant, message",
    [
        ({"id_number": "0190850012"}, "12 chữ số"),
        ({"id_number": "003085001234"}, "mã tỉnh"),
        ({"name": "  "}, "Chưa nhập họ tên"),
        ({"phone": "12"}, "điện thoại"),
    ],
)
def test_bad_applicant_is_refused_and_nothing_stored(staff, applicant, message):
    data = intake()
    for key, value in applicant.items():
        setattr(data.applicant, key, value)
    with pytest.raises(DomainError, match=message):
        actions.create_draft(staff.specialist, staff.binh_thanh.desk, data)
    assert Dossier.objects.count() == 0


def test_illegal_transition_and_wrong_role(staff):
    d = receive(staff)
    with pytest.raises(DomainError) as caught:
        actions.perform(d.pk, staff.leader, "approve")
    assert caught.value.status == 409
    with pytest.raises(DomainError) as caught:
        actions.perform(d.pk, staff.clerk, "start_review")
    assert caught.value.status == 403
    d.refresh_from_db()
    assert d.state == State.RECEIVED and d.events.count() == 2


def test_other_commune_cannot_act(staff):
    d = receive(staff)
    with pytest.raises(DomainError) as caught:
        actions.perform(d.pk, staff.neighbour_specialist, "start_review")
    assert caught.value.status == 403


def test_supplement_stops_the_clock(staff, monkeypatch):
    def at(text):
        moment = datetime.fromisoformat(text).replace(tzinfo=LOCAL_TZ)
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    # 2.001035 takes 2 working days: received Mon 02/03/2026 08:30 → due Wed 04/03 08:30
    at("2026-03-02 08:30")
    d = receive(staff)
    assert d.due_at == datetime(2026, 3, 4, 8, 30, tzinfo=LOCAL_TZ)
    at("2026-03-02 09:00")
    actions.perform(d.pk, staff.specialist, "start_review")
    requested = at("2026-03-03 10:00")
    actions.perform(
        d.pk, staff.specialist, "request_supplement", actions.ActionInput(note="Thiếu chữ ký")
    )
    d.refresh_from_db()
    assert d.supplement_requests == 1 and d.pending_supplement_since == requested
    # the applicant comes back a week later, Tue 10/03 10:00: five working days of 8 hours
    # (Tue to Mon, no holiday in March 2026) = 2,400 minutes, by which the due moment moves
    at("2026-03-10 10:00")
    d = actions.perform(d.pk, staff.specialist, "receive_supplement")
    assert d.state == State.IN_REVIEW
    assert d.paused_minutes == 2400
    assert d.due_at == datetime(2026, 3, 11, 8, 30, tzinfo=LOCAL_TZ)
    assert d.original_due_at == datetime(2026, 3, 4, 8, 30, tzinfo=LOCAL_TZ)


def test_apology_once_and_before_the_due_moment(staff):
    d = receive(staff)
    actions.perform(d.pk, staff.specialist, "start_review")
    new_due = d.due_at + timedelta(days=3)
    d = actions.perform(
        d.pk,
        staff.specialist,
        "apologize",
        actions.ActionInput(note="Cần xác minh thêm", new_due_at=new_due),
    )
    assert d.due_at == new_due and d.apologized_at is not None
    with pytest.raises(DomainError, match="một lần"):
        actions.perform(
            d.pk,
            staff.specialist,
            "apologize",
            actions.ActionInput(note="Lần hai", new_due_at=new_due + timedelta(days=1)),
        )
    for user, action in [
        (staff.specialist, "submit_for_approval"),
        (staff.leader, "approve"),
        (staff.clerk, "issue"),
    ]:
        d = actions.perform(d.pk, user, action)
    assert d.timeliness == "late"  # an extension still counts as late


def test_refuse_withdraw_stop_transfer_end_the_dossier(staff):
    cases = [
        (staff.leader, "refuse", State.REFUSED),
        (staff.specialist, "withdraw", State.WITHDRAWN),
        (staff.leader, "stop", State.STOPPED),
        (staff.specialist, "transfer", State.TRANSFERRED),
    ]
    for user, action, state in cases:
        d = receive(staff)
        d = actions.perform(d.pk, user, action, actions.ActionInput(note="Lý do cụ thể"))
        assert d.state == state
        assert (d.ended_at is not None) == (state != State.TRANSFERRED)


@pytest.mark.unsealed
def test_audit_verify_finds_a_row_changed_behind_the_applications_back(staff):
    from django.core.management import CommandError, call_command

    d = receive(staff)
    call_command("audit", "verify")
    DossierEvent.objects.filter(dossier=d, seq=2).update(note="sửa lén")
    with pytest.raises(CommandError, match="1 hồ sơ được nêu tên"):
        call_command("audit", "verify")
    [problem] = log_problems()
    assert problem.startswith(f"Hồ sơ {d.code}: sự kiện số 2 ")
