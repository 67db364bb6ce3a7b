"""The real connector against the FAKE portal over loopback HTTP: every branch of a dossier's
life reaches the portal in order, with the portal's status codes (written here by hand from the
issue's table, not read from motcua.core.dvcqg) and its dates; failures lose nothing and apply
nothing twice."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from motcua.dossiers.models import DossierSync
from motcua.dvcqg.fake import FakePortal
from motcua.dvcqg.models import ConnectorState, OutboxRow
from motcua.dvcqg.push import push, resend, take_lease
from motcua.workflow import actions
from tests.dossiers.conftest import intake
from tests.dvcqg.conftest import Fake

pytestmark = pytest.mark.django_db(transaction=True)

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
UPSERT, STEP = "DongBoHoSoMC", "CapNhatTienDoHoSoMC"
# The portal's codes (issue 11): 2 Được tiếp nhận, 3 Không được tiếp nhận, 4 Đang xử lý,
# 5 Yêu cầu bổ sung giấy tờ, 7 Công dân yêu cầu rút hồ sơ, 8 Dừng xử lý, 9 Đã xử lý xong,
# 10 Đã trả kết quả.


def wire(moment) -> str:
    return moment.astimezone(HCM).strftime("%Y%m%d%H%M%S")


def receive(staff):
    return actions.receive_dossier(staff.specialist, staff.binh_thanh.desk, intake())


def run(staff, dossier, *steps):
    for user, action, data in steps:
        dossier = actions.perform(dossier.pk, getattr(staff, user), action, data)
    return dossier


def calls_of(snapshot: dict, code: str) -> list[tuple]:
    """What the fake received for one dossier: (service, status, isUpdating) in order."""
    out = []
    for call in snapshot["calls"]:
        if call["MaHoSo"] != code:
            continue
        if call["service"] == UPSERT:
            out.append((UPSERT, call["TrangThaiHoSo"], call["isUpdating"]))
        else:
            out.append((STEP, call["TrangThai"]))
    return out


def expected(*statuses: str) -> list[tuple]:
    """Each move: the dossier's upsert (the first one creates), then its step."""
    out = []
    for i, status in enumerate(statuses):
        out += [(UPSERT, status, "False" if i == 0 else "True"), (STEP, status)]
    return out


NOTE = actions.ActionInput(note="Lý do cụ thể")


def test_a_whole_life_arrives_in_order_with_codes_and_dates(staff, fake_portal):
    d = receive(staff)
    d = run(
        staff,
        d,
        ("specialist", "start_review", None),
        ("specialist", "request_supplement", actions.ActionInput(note="Bản sao sổ hộ khẩu")),
        ("specialist", "receive_supplement", None),
        ("specialist", "submit_for_approval", None),
        ("leader", "approve", None),
        ("clerk", "issue", None),
        ("specialist", "return_result", actions.ActionInput(collected_by="Nguyễn Văn An")),
    )
    snap = fake_portal.snapshot()
    assert calls_of(snap, d.code) == expected("2", "4", "5", "4", "4", "4", "9", "10")
    held = snap["dossiers"][d.code]
    assert held["TrangThaiHoSo"] == "10"
    assert held["NgayTiepNhan"] == wire(d.received_at)
    assert held["NgayHenTra"] == wire(d.due_at)
    assert held["NgayTra"] == wire(d.returned_at)
    assert held["NgayKetThucXuLy"] == wire(d.ended_at)
    assert held["MaTTHC"] == "2.001035"
    assert held["KenhThucHien"] == "1"  # at the desk
    assert held["SoBienNhan"] == d.code
    assert snap["agencies"][d.code] == staff.binh_thanh.desk.electronic_code
    steps = snap["steps"][d.code]
    assert [s["TrangThai"] for s in steps] == ["2", "4", "5", "4", "4", "4", "9", "10"]
    events = list(d.events.exclude(action="create").order_by("seq"))
    assert [s["ThoiDiemXuLy"] for s in steps] == [wire(e.at) for e in events]
    assert "Bản sao sổ hộ khẩu" in steps[2]["NoiDungXuLy"]
    assert snap["duplicates"] == 0
    assert not OutboxRow.objects.exclude(status="sent").exists()
    sync = DossierSync.objects.get(dossier=d)
    assert sync.pending == 0 and sync.first_synced_at is not None and sync.portal_code == d.code


@pytest.mark.parametrize(
    ("steps", "statuses"),
    [
        ([("leader", "refuse", NOTE)], ("2", "9")),
        ([("specialist", "withdraw", NOTE)], ("2", "7")),
        ([("specialist", "start_review", None), ("leader", "stop", NOTE)], ("2", "4", "8")),
        ([("specialist", "transfer", NOTE)], ("2", "4")),
    ],
    ids=["refused", "withdrawn", "stopped", "transferred"],
)
def test_the_other_branches(staff, fake_portal, steps, statuses):
    d = run(staff, receive(staff), *steps)
    snap = fake_portal.snapshot()
    assert calls_of(snap, d.code) == expected(*statuses)
    held = snap["dossiers"][d.code]
    if d.ended_at is not None:
        assert held["NgayKetThucXuLy"] == wire(d.ended_at)
    if steps[-1][1] == "transfer":
        assert held["DonViXuLy"] == "Lý do cụ thể"


def test_an_extension_tells_the_old_and_new_appointment(staff, fake_portal):
    d = receive(staff)
    old = d.due_at
    new = old + timedelta(days=3)
    d = run(
        staff,
        d,
        ("specialist", "apologize", actions.ActionInput(note="Cần xác minh", new_due_at=new)),
    )
    snap = fake_portal.snapshot()
    assert calls_of(snap, d.code) == expected("2", "2")
    assert snap["dossiers"][d.code]["NgayHenTra"] == wire(new)
    step = snap["steps"][d.code][-1]
    assert (step["NgayHenTraTruoc"], step["NgayHenTraMoi"]) == (wire(old), wire(new))
    assert step["NgayKetThucTheoQuyDinh"] == wire(new)


def test_a_desk_draft_is_not_sent_until_it_is_received(staff, fake_portal):
    draft = actions.create_draft(staff.specialist, staff.binh_thanh.desk, intake())
    assert fake_portal.snapshot()["calls"] == []
    assert not OutboxRow.objects.exists()
    d = actions.perform(draft.pk, staff.specialist, "receive")
    assert calls_of(fake_portal.snapshot(), d.code) == expected("2")


def test_refused_calls_are_retried_in_order_and_nothing_is_applied_twice(staff, fake_portal):
    fake_portal.control("fail", count=1, mode="error")
    d = receive(staff)  # the first upsert is refused: the dossier waits for its retry
    d = run(staff, d, ("specialist", "start_review", None))
    assert calls_of(fake_portal.snapshot(), d.code) == []
    push(force=True)
    snap = fake_portal.snapshot()
    assert calls_of(snap, d.code) == expected("2", "4")
    assert snap["duplicates"] == 0
    assert OutboxRow.objects.filter(status="sent").count() == 4


@pytest.mark.parametrize(
    ("mode", "said"), [("drop", "Không kết nối được"), ("http500", "lỗi HTTP 500")]
)
def test_the_portal_down_the_desk_works_and_the_outbox_drains_in_order(
    staff, fake_portal, mode, said
):
    fake_portal.control("fail", count=1000, mode=mode)  # every call fails
    d1 = receive(staff)
    d2 = receive(staff)
    d1 = run(staff, d1, ("specialist", "start_review", None), ("specialist", "withdraw", NOTE))
    d2 = run(staff, d2, ("leader", "refuse", NOTE))
    assert OutboxRow.objects.filter(status__in=["pending", "failed"]).count() == 10
    state = ConnectorState.objects.get(pk=1)
    assert state.failing_since is not None and said in state.last_failure
    assert push().sent == 0  # paused: the back-off holds
    fake_portal.control("fail", count=0)
    result = push(force=True)
    assert result.drained and result.sent == 10
    snap = fake_portal.snapshot()
    assert calls_of(snap, d1.code) == expected("2", "4", "7")
    assert calls_of(snap, d2.code) == expected("2", "9")
    assert snap["duplicates"] == 0
    assert ConnectorState.objects.get(pk=1).failing_since is None


def test_a_refused_call_holds_back_only_its_own_dossier(staff, fake_portal, settings):
    settings.MOTCUA_DVCQG_MAX_TRIES = 2
    d1 = receive(staff)
    fake_portal.control("fail", count=2, mode="error")
    d1 = run(staff, d1, ("specialist", "start_review", None))  # refused, and after a log-in
    d2 = receive(staff)  # d2 goes through meanwhile…
    snap = fake_portal.snapshot()
    assert calls_of(snap, d2.code) == expected("2")
    assert calls_of(snap, d1.code) == expected("2")  # …d1's second move waits
    push(force=True)
    assert calls_of(fake_portal.snapshot(), d1.code) == expected("2", "4")


def test_a_row_refused_too_often_stops_until_resent(staff, fake_portal, settings):
    settings.MOTCUA_DVCQG_MAX_TRIES = 2
    d = receive(staff)
    fake_portal.control("fail", count=100, mode="error")
    d = run(staff, d, ("specialist", "start_review", None), ("specialist", "withdraw", NOTE))
    push(force=True)
    dead = OutboxRow.objects.filter(status="dead")
    assert list(dead.values_list("seq", flat=True)) == [3]
    assert "bận" in dead.get().answer  # the portal's own words are kept
    fake_portal.control("fail", count=0)
    assert push(force=True).sent == 0  # a dead row holds its dossier's later rows back
    assert resend(OutboxRow.objects.filter(dossier=d)) == 1
    assert push(force=True).sent == 4
    assert calls_of(fake_portal.snapshot(), d.code) == expected("2", "4", "7")


def test_the_session_is_kept_and_renewed_when_it_expires(staff, fake_portal):
    d = receive(staff)
    d = run(staff, d, ("specialist", "start_review", None))
    assert fake_portal.snapshot()["logins"] == 1  # one log-in for several passes
    fake_portal.control("expire")
    d = run(staff, d, ("specialist", "submit_for_approval", None))
    snap = fake_portal.snapshot()
    assert calls_of(snap, d.code) == expected("2", "4", "4")
    assert snap["logins"] == 2


def test_a_wrong_password_is_said_and_nothing_is_lost(staff, fake_portal, settings):
    settings.MOTCUA_DVCQG_PASSWORD = "sai-mat-khau"
    d = receive(staff)
    state = ConnectorState.objects.get(pk=1)
    assert state.login_refused
    assert "từ chối đăng nhập" in state.last_failure and "mật khẩu" in state.last_failure
    assert "sai-mat-khau" not in state.last_failure
    settings.MOTCUA_DVCQG_PASSWORD = fake_portal.state.password
    assert push(force=True).sent == 2
    assert not ConnectorState.objects.get(pk=1).login_refused
    assert calls_of(fake_portal.snapshot(), d.code) == expected("2")


def test_a_second_pusher_waits_for_the_lease(staff, fake_portal):
    assert take_lease("another-host:1", timezone.now())
    receive(staff)
    assert OutboxRow.objects.filter(status="pending").count() == 2  # the task found it held
    result = push(force=True)
    assert result.busy and not result.drained


def test_a_day_without_the_portal_then_every_dossier_in_order(staff, fake_portal, settings):
    """The portal gone (its port closed) while the desk works through a day's dossiers of every
    branch; when it is back, each dossier arrives whole, in order, once."""
    port = fake_portal.server.server_address[1]
    fake_portal.server.stop()
    branches = {
        "returned": (
            [
                ("specialist", "start_review", None),
                ("specialist", "submit_for_approval", None),
                ("leader", "approve", None),
                ("clerk", "issue", None),
                ("specialist", "return_result", actions.ActionInput(collected_by="Nguyễn Văn An")),
            ],
            ("2", "4", "4", "4", "9", "10"),
        ),
        "supplement": (
            [
                ("specialist", "request_supplement", actions.ActionInput(note="Bản sao")),
                ("specialist", "receive_supplement", None),
            ],
            ("2", "5", "4"),
        ),
        "withdrawn": ([("specialist", "withdraw", NOTE)], ("2", "7")),
        "stopped": ([("leader", "stop", NOTE)], ("2", "8")),
        "refused": ([("leader", "refuse", NOTE)], ("2", "9")),
    }
    codes = {}
    for _ in range(3):
        for steps, statuses in branches.values():
            d = run(staff, receive(staff), *steps)
            codes[d.code] = statuses
    rows = sum(2 * len(statuses) for statuses in codes.values())
    assert OutboxRow.objects.filter(status__in=["pending", "failed"]).count() == rows
    assert "Không kết nối được" in ConnectorState.objects.get(pk=1).last_failure

    back = FakePortal(
        port,
        username=fake_portal.state.username,
        password=fake_portal.state.password,
        dstcode=fake_portal.state.dstcode,
    ).start()
    try:
        result = push(force=True)
        assert result.drained and result.sent == rows
        snap = Fake(back).snapshot()
        for code, statuses in codes.items():
            assert calls_of(snap, code) == expected(*statuses), code
        assert snap["duplicates"] == 0 and len(snap["calls"]) == rows
    finally:
        back.stop()
