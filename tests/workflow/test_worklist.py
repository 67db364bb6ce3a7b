"""Việc của tôi is a to-do list: each official sees the dossiers whose next step is theirs,
overdue first, then due today; the other tabs and the search (issue 10, item 1)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.accounts.models import Role
from motcua.catalog.models import Field
from motcua.dossiers.models import Dossier
from motcua.workflow import actions
from motcua.workflow.queries import TABS, WorkFilters, tab_counts, worklist
from tests import factories

pytestmark = pytest.mark.django_db

CIVIL = ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]
CERT = ["Dự thảo hợp đồng", "Giấy tờ tùy thân"]


def applicant(name: str, phone: str) -> actions.ApplicantData:
    return actions.ApplicantData(name=name, phone=phone)


@pytest.fixture
def desk(staff):
    """Two specialists with their own fields (civil status; certification), a leader, a
    clerk; one dossier in each place of the to-do lists."""
    civil = Field.objects.get(name="Hộ tịch")
    cert = Field.objects.get(name="Chứng thực")
    staff.civil = factories.user("hotich", staff.binh_thanh, Role.SPECIALIST)
    staff.civil.fields.add(civil)
    staff.cert = factories.user("chungthuc", staff.binh_thanh, Role.SPECIALIST)
    staff.cert.fields.add(cert)
    at = staff.binh_thanh.desk

    def receive(by, code, components, name, phone, *steps, assign_to=None):
        data = actions.IntakeData(code, "direct", applicant(name, phone), components)
        d = actions.receive_dossier(by, at, data)
        if assign_to is not None or by != staff.head:
            factories.set_fields(d, assigned_to=assign_to)
        for user, step, note in steps:
            actions.perform(d.pk, user, step, actions.ActionInput(note=note))
        return Dossier.objects.get(pk=d.pk)

    c, s, leader, clerk = staff.civil, staff.cert, staff.leader, staff.clerk
    staff.d = {
        # civil status, received, nobody assigned yet: the civil specialist's next step
        "civil_new": receive(c, "1.001193", CIVIL, "Nguyễn Văn An", "0912340001"),
        # certification, assigned to the certification specialist, in review
        "cert_review": receive(
            s, "2.001035", CERT, "Trần Thị Bình", "0912340002", (s, "start_review", "")
        ),
        # civil status, waiting for the leader
        "civil_approval": receive(
            c,
            "1.001193",
            CIVIL,
            "Lê Văn Cường",
            "0912340003",
            (c, "start_review", ""),
            (c, "submit_for_approval", ""),
        ),
        # civil status, the applicant must supplement
        "civil_supplement": receive(
            c,
            "1.001193",
            CIVIL,
            "Phạm Thị Dung",
            "0912340004",
            (c, "start_review", ""),
            (c, "request_supplement", "Bản sao sổ hộ khẩu"),
        ),
        # certification, waiting for the clerk
        "cert_issue": receive(
            s,
            "2.001035",
            CERT,
            "Hoàng Văn Em",
            "0912340005",
            (s, "start_review", ""),
            (s, "submit_for_approval", ""),
            (leader, "approve", ""),
        ),
        # civil status, result ready, not collected
        "civil_done": receive(
            c,
            "1.001193",
            CIVIL,
            "Đỗ Thị Giang",
            "0912340006",
            (c, "start_review", ""),
            (c, "submit_for_approval", ""),
            (leader, "approve", ""),
            (clerk, "issue", ""),
        ),
    }
    return staff


def codes(user, tab, **filters):
    return [d.code for d in worklist(user, tab, WorkFilters(**filters), now=timezone.now())]


def test_each_official_sees_only_their_next_steps(desk):
    d = desk.d
    assert codes(desk.civil, "mine") == [d["civil_new"].code]
    assert codes(desk.cert, "mine") == [d["cert_review"].code]
    assert codes(desk.leader, "mine") == [d["civil_approval"].code]
    assert codes(desk.clerk, "mine") == [d["cert_issue"].code]


def test_the_other_tabs_of_a_specialist_stay_in_their_fields(desk):
    d = desk.d
    assert codes(desk.civil, "others") == [d["civil_approval"].code]
    assert codes(desk.civil, "supplement") == [d["civil_supplement"].code]
    assert codes(desk.civil, "collect") == [d["civil_done"].code]
    assert codes(desk.cert, "others") == [d["cert_issue"].code]
    assert codes(desk.cert, "collect") == []
    assert tab_counts(desk.civil) == {"mine": 1, "others": 1, "supplement": 1, "collect": 1}


def test_the_tab_counts_are_the_tabs_lengths_as_their_inputs_change(desk):
    """The counts' SQL is kept per process for each user, roles, fields and filters: each count
    stays the length of its tab while dossiers move, a field is added, a role is taken away."""
    from motcua.accounts.models import StaffRole
    from motcua.catalog.models import Field

    def lengths(user, **filters):
        return {tab: len(codes(user, tab, **filters)) for tab in TABS}

    for user in (desk.civil, desk.cert, desk.leader, desk.clerk, desk.head):
        assert tab_counts(user) == lengths(user)
    civil_field = Field.objects.get(name="Hộ tịch").pk
    assert tab_counts(desk.civil, WorkFilters(field=civil_field)) == lengths(
        desk.civil, field=civil_field
    )
    # a dossier moves on (same SQL, new data): the civil specialist's own step goes
    actions.perform(desk.d["civil_new"].pk, desk.civil, "start_review")
    assert tab_counts(desk.civil)["mine"] == 1 == len(codes(desk.civil, "mine"))
    # a field more (a new key): the certification dossiers join the civil specialist's tabs
    desk.civil.fields.add(Field.objects.get(name="Chứng thực"))
    civil = type(desk.civil).objects.get(pk=desk.civil.pk)  # a new request's user
    assert tab_counts(civil) == lengths(civil) != lengths(desk.civil)
    # no role left (a new key): nothing is theirs to do
    StaffRole.objects.filter(user=civil).delete()
    civil = type(desk.civil).objects.get(pk=desk.civil.pk)
    assert tab_counts(civil)["mine"] == 0 == len(codes(civil, "mine"))


def test_overdue_first_then_due_today_then_by_due_moment(desk):
    now = timezone.now()
    more = [
        actions.receive_dossier(
            desk.civil,
            desk.binh_thanh.desk,
            actions.IntakeData("1.001193", "direct", applicant(f"Người {'ABC'[i]}", ""), CIVIL),
        )
        for i in range(3)
    ]
    later, overdue, today = more
    factories.set_fields(later, due_at=now + timedelta(days=9))
    factories.set_fields(overdue, due_at=now - timedelta(hours=2))
    end_of_day = timezone.localtime(now).replace(hour=23, minute=59)
    factories.set_fields(today, due_at=max(now + timedelta(minutes=1), end_of_day))
    factories.set_fields(desk.d["civil_new"], due_at=now + timedelta(days=3))
    rows = list(worklist(desk.civil, "mine", now=now))
    assert [r.code for r in rows] == [
        overdue.code,
        today.code,
        desk.d["civil_new"].code,
        later.code,
    ]
    assert [r.urgency for r in rows] == [0, 1, 2, 2]


def test_search_by_name_without_diacritics_code_or_last_digits(desk):
    d = desk.d
    assert codes(desk.civil, "mine", text="nguyen van an") == [d["civil_new"].code]
    assert codes(desk.civil, "mine", text="0005") == [d["cert_issue"].code]
    assert codes(desk.civil, "mine", text=d["civil_done"].code) == [d["civil_done"].code]
    assert codes(desk.civil, "mine", text="khong ai ten nay") == []


def test_the_worklist_page_and_api(client, desk):
    client.force_login(desk.civil)
    page = client.get("/ho-so/").content.decode()
    assert desk.d["civil_new"].code in page and desk.d["cert_review"].code not in page
    assert "Nhận xử lý" in page  # the next step is said, in Vietnamese
    api = client.get("/api/v1/worklist/", {"tab": "mine"}).json()
    assert api["counts"] == {"mine": 1, "others": 1, "supplement": 1, "collect": 1}
    (item,) = api["results"]
    assert item["code"] == desk.d["civil_new"].code
    assert item["next_action"] == {
        "action": "start_review",
        "label": "Nhận xử lý",
        "roles": ["specialist"],
        "yours": True,
    }
    others = client.get("/api/v1/worklist/", {"tab": "others"}).json()["results"]
    assert others[0]["next_action"]["action"] == "approve"
    assert others[0]["next_action"]["yours"] is False
    assert client.get("/api/v1/worklist/", {"tab": "x"}).status_code == 400


def test_the_overseer_lands_on_the_figures(client, desk):
    client.force_login(desk.overseer)
    response = client.get("/ho-so/")
    assert response.status_code == 302 and response["Location"] == "/thong-ke/?don_vi=19"
    assert client.get("/api/v1/worklist/").status_code == 403
