"""The sync page (Đồng bộ Cổng DVC quốc gia, issue 11 item 2) and each dossier's own sync state:
who sees what, the outbox counted by status and by day against rows written by hand, "gửi
lại" for the head and deputy only, the real push against the FAKE portal after a resend, and
a wrong password said in Vietnamese."""

from __future__ import annotations

import json
import re
from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motcua.accounts.models import Role
from motcua.core.dvcqg import PROGRESS, UPSERT, readable_answer
from motcua.core.localtime import LOCAL_TZ
from motcua.dvcqg.models import ConnectorState, OutboxRow
from motcua.dvcqg.push import push
from motcua.dvcqg.queries import dossier_sync_state
from motcua.integrations import sync_views
from motcua.units.models import ConfigChange
from motcua.workflow import actions
from tests import factories
from tests.dossiers.conftest import intake

pytestmark = pytest.mark.django_db
PAGE = "/dong-bo-dvcqg/"
RESEND = "/dong-bo-dvcqg/gui-lai/"


def receive(world, unit=None, name="Nguyễn Văn An"):
    """A dossier received at a desk (its receipt writes two calls: upsert and step)."""
    desk = (unit or world.binh_thanh).desk
    user = world.specialist if unit is None else world.neighbour_specialist
    return actions.receive_dossier(user, desk, intake())


def at(day_offset: int, hour: int, minute: int = 0) -> datetime:
    """A local moment ``day_offset`` days from today."""
    day = timezone.localdate() + timedelta(days=day_offset)
    return datetime.combine(day, time(hour, minute), tzinfo=LOCAL_TZ)


def row(dossier, seq, status, created, sent=None, **extra) -> OutboxRow:
    return OutboxRow.objects.create(
        dossier=dossier,
        unit_id=dossier.unit_id,
        seq=seq,
        action="receive",
        service=UPSERT if seq == 1 else PROGRESS,
        payload={"service": UPSERT},
        status=status,
        created_at=created,
        sent_at=sent,
        **extra,
    )


REFUSAL = json.dumps(
    {"error_code": "-6", "message": "Hồ sơ chưa được đồng bộ lên Cổng."}, ensure_ascii=False
)


@pytest.fixture
def by_hand(staff):
    """Two dossiers of Bình Thành and one of Phú Đình, their calls written by hand (the
    receipt's own calls removed):

    A: 1 sent (D-2 10:00, sent D-2 10:01), 2 sent (D-1 23:30, sent D 00:10),
       3 failed (D 08:00, the portal's refusal), 4 pending (D 08:05)
    B: 1 dead (D-1 09:00), 2 pending (D 09:00), 3 pending (D 09:05)
    C (Phú Đình): 1 pending (D 07:00), 2 failed (D 07:05)
    """
    a, b = receive(staff), receive(staff)
    c = receive(staff, staff.neighbour)
    OutboxRow.objects.all().delete()
    row(a, 1, "sent", at(-2, 10), at(-2, 10, 1))
    row(a, 2, "sent", at(-1, 23, 30), at(0, 0, 10))
    row(a, 3, "failed", at(0, 8), attempts=2, answer=REFUSAL, next_try_at=at(0, 9))
    row(a, 4, "pending", at(0, 8, 5))
    row(b, 1, "dead", at(-1, 9), attempts=8, answer=REFUSAL)
    row(b, 2, "pending", at(0, 9))
    row(b, 3, "pending", at(0, 9, 5))
    row(c, 1, "pending", at(0, 7))
    row(c, 2, "failed", at(0, 7, 5), attempts=1, answer="Không kết nối được Cổng DVCQG.")
    return a, b, c


def kpis(page: str) -> dict[str, int]:
    return {
        status: int(n.replace(".", ""))
        for status, n in re.findall(
            r'class="kpi kpi-(\w+)[^"]*"><span class="kpi-n">([\d.]+)', page
        )
    }


def day_rows(page: str) -> dict[str, tuple[int, int]]:
    found = re.findall(r"<tr><td>(\d\d/\d\d/\d{4})</td><td>(\d+)</td><td>(\d+)</td></tr>", page)
    return {day: (int(c), int(s)) for day, c, s in found}


def day_label(offset: int) -> str:
    return f"{timezone.localdate() + timedelta(days=offset):%d/%m/%Y}"


# --- who sees what ------------------------------------------------------------------------


def test_anonymous_is_sent_to_log_in(client, by_hand):
    for answer in (client.get(PAGE), client.post(RESEND, {"tat_ca": "1"})):
        assert answer.status_code == 302 and "/tai-khoan/dang-nhap/" in answer["Location"]
    assert OutboxRow.objects.filter(status="dead").count() == 1


def test_counts_by_status_and_by_day_match_the_rows_written_by_hand(client, staff, by_hand):
    client.force_login(staff.specialist)
    page = client.get(PAGE).content.decode()
    assert kpis(page) == {"pending": 3, "sent": 2, "failed": 1, "dead": 1}
    for label in ("Chờ gửi", "Đã gửi", "Gửi lỗi, sẽ gửi lại", "Dừng gửi (cần xử lý)"):
        assert label in page
    days = day_rows(page)
    assert len(days) == 14
    assert days[day_label(-2)] == (1, 1)
    assert days[day_label(-1)] == (2, 0)  # 23:30 local is still that day
    assert days[day_label(0)] == (4, 1)  # sent at 00:10 local: today
    assert days[day_label(-3)] == (0, 0)
    assert "<th>Cộng</th><th>7</th><th>2</th>" in page


def test_the_province_and_the_administrator_see_more(client, staff, by_hand):
    client.force_login(staff.overseer)
    assert kpis(client.get(PAGE).content.decode()) == {
        "pending": 4,
        "sent": 2,
        "failed": 2,
        "dead": 1,
    }
    only = client.get(PAGE, {"don_vi": "05611"}).content.decode()
    assert kpis(only) == {"pending": 1, "sent": 0, "failed": 1, "dead": 0}
    client.force_login(staff.admin)
    assert kpis(client.get(PAGE).content.decode())["failed"] == 2


def test_another_commune_sees_neither_the_counts_nor_the_dossiers(client, staff, by_hand):
    a, b, _ = by_hand
    client.force_login(staff.neighbour_specialist)
    page = client.get(PAGE).content.decode()
    assert kpis(page) == {"pending": 1, "sent": 0, "failed": 1, "dead": 0}
    assert a.code not in page and b.code not in page
    assert client.get(PAGE, {"don_vi": "05605"}).status_code == 403
    client.force_login(staff.far_overseer)
    assert client.get(PAGE, {"don_vi": "05605"}).status_code == 403


def test_the_dossiers_waiting_stopped_first_with_the_portals_words(client, staff, by_hand):
    a, b, c = by_hand
    client.force_login(staff.specialist)
    page = client.get(PAGE).content.decode()
    assert "(2 hồ sơ)" in page and c.code not in page
    assert page.index(b.code) < page.index(a.code)  # B has a stopped call
    assert "Hồ sơ chưa được đồng bộ lên Cổng." in page
    assert "error_code" not in page and "{" not in page.split("<h2 id=")[1].split("</table>")[0]
    assert f'href="/ho-so/{a.pk}/"' in page
    # found by its code
    one = client.get(PAGE, {"ho_so": a.code}).content.decode()
    assert "(1 hồ sơ)" in one and b.code not in one.split('id="ho-so"')[1]


def test_a_read_only_role_cannot_resend(client, staff, by_hand):
    _, b, _ = by_hand
    dead = OutboxRow.objects.get(dossier=b, status="dead")
    for user in (staff.specialist, staff.overseer):
        client.force_login(user)
        page = client.get(PAGE).content.decode()
        assert "Gửi lại tất cả lệnh lỗi" not in page
        for form in ({"lenh": dead.pk}, {"ho_so_id": str(b.pk)}, {"tat_ca": "1"}):
            assert client.post(RESEND, form).status_code == 403
    client.force_login(staff.neighbour_specialist)
    assert client.post(RESEND, {"lenh": dead.pk}).status_code in (403, 404)
    assert client.post(RESEND, {"ho_so_id": str(b.pk)}).status_code in (403, 404)
    dead.refresh_from_db()
    assert (dead.status, dead.attempts) == ("dead", 8)
    assert OutboxRow.objects.filter(status="failed").count() == 2
    assert not ConfigChange.objects.filter(kind=ConfigChange.Kind.PORTAL_RESEND).exists()


def test_the_head_resends_a_stopped_call_and_the_log_says_so(client, staff, by_hand):
    a, b, c = by_hand
    dead = OutboxRow.objects.get(dossier=b, status="dead")
    client.force_login(staff.head)
    assert "Gửi lại tất cả lệnh lỗi (2)" in client.get(PAGE).content.decode()
    answer = client.post(RESEND, {"lenh": dead.pk}, follow=True)
    assert "Đã đưa 1 lệnh trở lại hàng đợi" in answer.content.decode()
    dead.refresh_from_db()
    assert (dead.status, dead.attempts, dead.next_try_at) == ("pending", 0, None)
    (log,) = ConfigChange.objects.filter(kind=ConfigChange.Kind.PORTAL_RESEND)
    assert (log.unit_id, log.actor, log.after) == ("05605", staff.head, {"rows": 1})
    assert b.code in log.target
    # every failing call of Bình Thành; Phú Đình's is not the head's to resend
    client.post(RESEND, {"tat_ca": "1"})
    assert set(OutboxRow.objects.filter(status="failed").values_list("dossier", flat=True)) == {
        c.pk
    }
    # nothing left to resend: said, nothing logged
    text = client.post(RESEND, {"ho_so_id": str(a.pk)}, follow=True).content.decode()
    assert "Không có lệnh lỗi nào để gửi lại." in text
    assert ConfigChange.objects.filter(kind=ConfigChange.Kind.PORTAL_RESEND).count() == 2


def test_the_administrator_resends_every_unit_one_log_row_each(client, staff, by_hand):
    client.force_login(staff.admin)
    client.post(RESEND, {"tat_ca": "1"})
    assert not OutboxRow.objects.filter(status__in=["failed", "dead"]).exists()
    logs = ConfigChange.objects.filter(kind=ConfigChange.Kind.PORTAL_RESEND)
    assert {(c.unit_id, c.after["rows"]) for c in logs} == {("05605", 2), ("05611", 1)}


# --- with the FAKE portal ------------------------------------------------------------------


def test_a_resent_dead_call_is_then_sent_to_the_portal(
    client, staff, fake_portal, django_capture_on_commit_callbacks
):
    dossier = receive(staff)
    upsert, _step = OutboxRow.objects.filter(dossier=dossier).order_by("seq")
    OutboxRow.objects.filter(pk=upsert.pk).update(status="dead", attempts=8, answer=REFUSAL)
    client.force_login(staff.head)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(RESEND, {"lenh": upsert.pk})
    assert set(OutboxRow.objects.filter(dossier=dossier).values_list("status", flat=True)) == {
        "sent"
    }
    held = fake_portal.snapshot()
    assert dossier.code in held["dossiers"] and len(held["steps"][dossier.code]) == 1
    page = client.get(PAGE).content.decode()
    assert kpis(page)["sent"] == 2 and "Kết nối Cổng DVCQG đang hoạt động." in page
    detail = client.get(f"/ho-so/{dossier.pk}/").content.decode()
    assert "Đã đồng bộ lúc" in detail


def test_a_wrong_password_is_said_in_vietnamese_without_the_password(
    client, staff, fake_portal, settings
):
    settings.MOTCUA_DVCQG_PASSWORD = "mat-khau-da-doi-9"
    receive(staff)
    result = push()
    assert result.sent == 0 and result.left == 2
    assert ConnectorState.objects.get(pk=1).login_refused
    client.force_login(staff.head)
    page = client.get(PAGE).content.decode()
    assert "Cổng DVCQG từ chối đăng nhập của phần mềm" in page
    assert "Tên đăng nhập, mật khẩu hoặc mã định tuyến (dstcode)" in page
    assert "quản trị hệ thống của tỉnh" in page
    assert "mat-khau-da-doi-9" not in page and "mat-khau-thu" not in page


def test_the_connector_off_is_said_plainly(client, staff, settings):
    settings.MOTCUA_DVCQG_URL = ""
    receive(staff)
    client.force_login(staff.specialist)
    page = client.get(PAGE).content.decode()
    assert "Kết nối Cổng DVCQG chưa được bật trên máy chủ này." in page
    assert "MOTCUA_DVCQG" not in page  # the variable's name is for the administrator
    assert kpis(page)["pending"] == 2


# --- the dossier page ------------------------------------------------------------------------


def test_the_dossier_page_shows_its_own_sync_state(client, staff):
    client.force_login(staff.specialist)
    draft = actions.create_draft(staff.specialist, staff.binh_thanh.desk, intake())
    assert "Chưa gửi lên Cổng DVCQG" in client.get(f"/ho-so/{draft.pk}/").content.decode()
    dossier = receive(staff)
    page = client.get(f"/ho-so/{dossier.pk}/").content.decode()
    assert "Đang chờ gửi 2 lệnh" in page
    assert f'href="/dong-bo-dvcqg/?ho_so={dossier.code}"' in page
    OutboxRow.objects.filter(dossier=dossier, seq=1).update(status="failed", answer=REFUSAL)
    page = client.get(f"/ho-so/{dossier.pk}/").content.decode()
    assert "Gửi lỗi: Hồ sơ chưa được đồng bộ lên Cổng." in page and "error_code" not in page


def test_the_dossier_state_is_one_query(staff, django_assert_num_queries):
    dossier = receive(staff)
    with django_assert_num_queries(1):
        state = dossier_sync_state(dossier.pk)
    assert (state.kind, state.pending) == ("pending", 2)


# --- the portal's answers as read ------------------------------------------------------------

ANSWERS = [
    ("", ""),
    ('{"error_code": 0, "message": "Thành công"}', "Thành công"),
    ('{"error_code": "00"}', "Cổng DVCQG đã nhận."),
    (REFUSAL, "Hồ sơ chưa được đồng bộ lên Cổng."),
    ('{"error_code": "99"}', "Cổng DVCQG từ chối, mã lỗi 99."),
    (
        "Không kết nối được Cổng DVCQG (ConnectionRefusedError: [Errno 111] Connection refused).",
        "Không kết nối được Cổng DVCQG.",
    ),
    ("Cổng DVCQG trả lời lỗi HTTP 500.", "Cổng DVCQG trả lời lỗi HTTP 500."),
]


@pytest.mark.parametrize(("stored", "shown"), ANSWERS)
def test_a_stored_answer_reads_as_words(stored, shown):
    assert readable_answer(stored) == shown


def test_the_deputy_resends_too_but_not_for_another_commune(client, staff, by_hand):
    _, b, c = by_hand
    deputy = factories.user("phobp", staff.binh_thanh, Role.DEPUTY)
    neighbour_head = factories.user("truongbpkhac", staff.neighbour, Role.HEAD)
    client.force_login(neighbour_head)
    assert client.post(RESEND, {"ho_so_id": str(b.pk)}).status_code == 404
    client.force_login(deputy)
    assert client.post(RESEND, {"ho_so_id": str(c.pk)}).status_code == 404
    client.post(RESEND, {"ho_so_id": str(b.pk)})
    assert not OutboxRow.objects.filter(dossier=b, status="dead").exists()
    assert OutboxRow.objects.filter(dossier=c, status="failed").count() == 1


def test_the_dossiers_are_paged(client, staff, by_hand, monkeypatch):
    a, b, _ = by_hand
    monkeypatch.setattr(sync_views, "PAGE_SIZE", 1)
    client.force_login(staff.specialist)
    first = client.get(PAGE).content.decode()
    assert "Trang 1/2" in first and b.code in first and a.code not in first
    second = client.get(PAGE, {"trang": 2}).content.decode()
    assert "Trang 2/2" in second and a.code in second and b.code not in second


def test_the_page_reads_the_same_few_queries_however_many_dossiers(client, staff, by_hand):
    client.force_login(staff.specialist)
    client.get(PAGE)
    with CaptureQueriesContext(connection) as few:
        client.get(PAGE)
    more = [receive(staff) for _ in range(3)]
    OutboxRow.objects.filter(dossier__in=more, seq=1).update(status="failed", answer=REFUSAL)
    with CaptureQueriesContext(connection) as many:
        page = client.get(PAGE).content.decode()
    assert all(d.code in page for d in more)
    assert len(many) == len(few)
