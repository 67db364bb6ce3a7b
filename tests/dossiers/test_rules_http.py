"""The hand-written rules (tests/rules_by_hand.py) through the API and the desk's pages.

A sample of moves, chosen for the mistakes that matter most, is taken over HTTP as a real
client would: the allowed ones move the dossier to the state the hand table names; the refused
ones answer with the right status and Vietnamese sentence, and change nothing in the database
(the dossier row, its events, its notifications, the statistics cells).
"""

from __future__ import annotations

import re

import pytest

from motcua.dossiers.models import Dossier
from motcua.notifications.models import Notification
from motcua.reports.models import StatCell, StatMonthCell
from tests import rules_by_hand as rules
from tests.dossier_states import AGENCY, COLLECTOR, REASON, dossier_in

pytestmark = pytest.mark.django_db

# Who acts: an attribute of the ``staff`` fixture and the roles that person holds.
PEOPLE = {
    "specialist": {rules.SPECIALIST},
    "deputy": {rules.DEPUTY},
    "head": {rules.HEAD, rules.LEADER},  # the commune's chairman: head of the desk and leader
    "leader": {rules.LEADER},
    "clerk": {rules.CLERK},
    "overseer": {rules.OVERSEER},
    "admin": {rules.ADMIN},
}

# The actions' names as the desk reads them (docs/dossiers.md, the forms of TT 03/2025).
NAMES = {
    "receive": "tiếp nhận hồ sơ",
    "start_review": "nhận xử lý",
    "receive_supplement": "nhận hồ sơ bổ sung",
    "send_back": "trả lại để xử lý lại",
    "approve": "phê duyệt, ký",
    "issue": "vào số, đóng dấu, ban hành",
    "return_result": "trả kết quả",
    "refuse": "từ chối giải quyết",
    "stop": "dừng giải quyết",
    "withdraw": "công dân rút hồ sơ",
    "transfer": "chuyển liên thông",
    "mark_not_collected": "ghi nhận công dân chưa đến nhận kết quả",
}


@pytest.fixture
def staff(staff):
    """The seed's five roles, and a deputy of the desk (phó bộ phận)."""
    from motcua.accounts.models import Role
    from tests import factories

    staff.deputy = factories.user("phobp", staff.binh_thanh, Role.DEPUTY)
    return staff


# (state, who, action): allowed and refused moves; the expected answer comes from the hand table.
SAMPLE = [
    ("awaiting_approval", "clerk", "approve"),
    ("awaiting_approval", "specialist", "approve"),
    ("awaiting_approval", "leader", "approve"),
    ("awaiting_approval", "leader", "send_back"),
    ("awaiting_approval", "deputy", "approve"),
    ("in_review", "leader", "approve"),
    ("awaiting_issue", "leader", "issue"),
    ("awaiting_issue", "specialist", "issue"),
    ("awaiting_issue", "clerk", "issue"),
    ("awaiting_issue", "specialist", "return_result"),
    ("awaiting_issue", "leader", "stop"),
    ("done", "specialist", "return_result"),
    ("done", "deputy", "return_result"),
    ("done", "specialist", "mark_not_collected"),
    ("done", "leader", "refuse"),
    ("returned", "specialist", "withdraw"),
    ("stopped", "specialist", "transfer"),
    ("received", "overseer", "start_review"),
    ("received", "specialist", "start_review"),
    ("received", "head", "start_review"),
    ("in_review", "admin", "stop"),
    ("in_review", "specialist", "refuse"),
    ("in_review", "leader", "refuse"),
    ("awaiting_supplement", "clerk", "receive_supplement"),
    ("awaiting_supplement", "specialist", "receive_supplement"),
]


def expected(state: str, who: str, action: str) -> tuple[int, str]:
    """(HTTP status, the next state or the refusal's sentence), from the hand table only."""
    roles = PEOPLE[who]
    if any(rules.allowed(state, action, role) for role in roles):
        return 200, rules.after(state, action)
    if rules.state_allows(state, action):
        return 403, f"Vai trò của bạn không được “{NAMES[action]}”."
    return 409, (
        f"Không thể “{NAMES[action]}” khi hồ sơ đang ở trạng thái “{rules.STATE_NAMES[state]}”."
    )


def snapshot(dossier: Dossier) -> tuple:
    """Everything a move could change: the dossier row, its events, notifications, cells."""
    return (
        Dossier.objects.filter(pk=dossier.pk).values().get(),
        list(dossier.events.order_by("seq").values_list("seq", "action", "hash")),
        Notification.objects.count(),
        list(StatCell.objects.order_by("pk").values()),
        list(StatMonthCell.objects.order_by("pk").values()),
    )


def form_for(action: str) -> dict:
    return {"note": REASON, "collected_by": COLLECTOR, "transferred_to": AGENCY}


@pytest.mark.parametrize("state, who, action", SAMPLE)
def test_a_move_through_the_api(client, staff, state, who, action):
    status, answer = expected(state, who, action)
    dossier = dossier_in(state, staff)
    before = snapshot(dossier)
    client.force_login(getattr(staff, who))
    response = client.post(
        f"/api/v1/dossiers/{dossier.code}/actions/{action}/",
        form_for(action),
        content_type="application/json",
    )
    assert response.status_code == status, response.content.decode()
    if status == 200:
        assert response.json()["state"] == answer
        dossier.refresh_from_db()
        assert dossier.state == answer
        last = dossier.events.order_by("-seq").first()
        assert (last.action, last.from_state, last.to_state) == (action, state, answer)
    else:
        assert response.json()["detail"] == answer
        assert snapshot(dossier) == before


@pytest.mark.parametrize("state, who, action", SAMPLE)
def test_a_move_through_the_dossier_page(client, staff, state, who, action):
    status, answer = expected(state, who, action)
    dossier = dossier_in(state, staff)
    before = snapshot(dossier)
    client.force_login(getattr(staff, who))
    url = f"/ho-so/{dossier.pk}/"
    response = client.post(f"{url}thao-tac/{action}/", form_for(action))
    if status == 403:
        # not the user's to do: the refusal page, with the sentence, and nothing changed
        assert response.status_code == 403
        assert answer in response.content.decode()
        assert snapshot(dossier) == before
        return
    # otherwise the dossier page again with a message (post/redirect/get)
    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url).content.decode()
    if status == 200:
        assert f'<li class="msg msg-success">Đã thực hiện: {NAMES[action].capitalize()}' in page
        dossier.refresh_from_db()
        assert dossier.state == answer
    else:
        assert f'<li class="msg msg-error">{answer}</li>' in page
        assert snapshot(dossier) == before


def offered(page: str) -> set[str]:
    return set(re.findall(r'action="/ho-so/[0-9a-f-]+/thao-tac/([a-z_]+)/"', page))


@pytest.mark.parametrize("state", rules.STATES)
def test_the_page_offers_each_person_the_moves_of_the_hand_table(client, staff, state):
    dossier = dossier_in(state, staff)
    for who, roles in PEOPLE.items():
        client.force_login(getattr(staff, who))
        page = client.get(f"/ho-so/{dossier.pk}/")
        assert page.status_code == 200
        want = set().union(*(rules.moves_for(state, role) for role in roles))
        # online submission is the applicant's page, not a button on the desk's
        assert offered(page.content.decode()) == want - {"submit_online"}, who


def test_the_desk_receives_a_draft_through_the_page_and_a_clerk_cannot(client, staff):
    dossier = dossier_in("draft", staff)
    before = snapshot(dossier)
    client.force_login(staff.clerk)
    refused = client.post(f"/ho-so/{dossier.pk}/thao-tac/receive/", {})
    assert refused.status_code == 403
    assert "Vai trò của bạn không được “tiếp nhận hồ sơ”." in refused.content.decode()
    assert snapshot(dossier) == before
    client.force_login(staff.specialist)
    client.post(f"/ho-so/{dossier.pk}/thao-tac/receive/", {})
    dossier.refresh_from_db()
    assert dossier.state == "received" and dossier.code


def test_an_anonymous_move_is_refused_and_changes_nothing(client, staff):
    dossier = dossier_in("awaiting_approval", staff)
    before = snapshot(dossier)
    response = client.post(
        f"/api/v1/dossiers/{dossier.code}/actions/approve/", {}, content_type="application/json"
    )
    assert response.status_code == 401
    assert response.json()["detail"] == (
        "Bạn cần đăng nhập (hoặc gửi mã truy cập API) để dùng chức năng này."
    )
    page = client.post(f"/ho-so/{dossier.pk}/thao-tac/approve/", {})
    assert page.status_code == 302 and page["Location"].startswith("/tai-khoan/dang-nhap/")
    assert snapshot(dossier) == before


def test_another_commune_cannot_move_the_dossier(client, staff):
    dossier = dossier_in("received", staff)
    before = snapshot(dossier)
    client.force_login(staff.neighbour_specialist)
    response = client.post(
        f"/api/v1/dossiers/{dossier.code}/actions/start_review/",
        {},
        content_type="application/json",
    )
    assert response.status_code == 404  # by code: as if it did not exist
    assert response.json() == {"detail": "Không tìm thấy hồ sơ này.", "code": "dossier_not_found"}
    page = client.post(f"/ho-so/{dossier.pk}/thao-tac/start_review/", {})
    assert page.status_code == 403
    assert "Bạn không có quyền xem hồ sơ của đơn vị khác." in page.content.decode()
    assert snapshot(dossier) == before


def refuse_without_reasons(client, staff):
    dossier = dossier_in("in_review", staff)
    before = snapshot(dossier)
    client.force_login(staff.leader)
    response = client.post(
        f"/api/v1/dossiers/{dossier.code}/actions/refuse/",
        {"note": "   "},
        content_type="application/json",
    )
    return response, before, dossier


def test_a_refusal_after_receipt_needs_its_reasons(client, staff):
    """Form 03 states the reasons: without them the move is refused and nothing changes."""
    response, before, dossier = refuse_without_reasons(client, staff)
    assert response.status_code == 400  # bad input, not the dossier's state
    assert response.json() == {"detail": "Cần nhập “lý do từ chối”.", "code": "note_required"}
    assert snapshot(dossier) == before
