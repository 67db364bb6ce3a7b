"""Queue numbers (issue 14, item 5): a number per counter taken at the kiosk, called by the
official on duty at that counter ("gọi số tiếp theo"), shown on the TV's feed, served or absent;
the rating tablet greets the number served; waiting and service times by hand."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.core import queue as rules
from motcua.core.errors import DomainError
from motcua.core.queue import Status
from motcua.queue.models import QueueTicket
from motcua.roster import actions as roster
from motcua.roster.models import Shift
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

M = timedelta(minutes=1)


def test_numbers_and_times_by_hand():
    assert (rules.ticket_number(1, 7), rules.ticket_number(None, 7)) == ("1007", "7")
    with pytest.raises(DomainError):
        rules.ticket_number(2, 1000)
    got = rules.times(
        [
            (Status.SERVED, 4 * M, 10 * M),
            (Status.SERVED, 20 * M, 6 * M),  # waited too long
            (Status.ABSENT, 16 * M, None),  # called, nobody came: waited too long
            (Status.WAITING, None, None),
        ]
    )
    # waits 4, 16, 20 → median 16; services 6, 10 → median 8; 2 of 3 called waited > 15 min
    assert got == rules.Times(4, 2, 1, 16.0, 8.0, 2)
    assert round(got.long_wait_share, 1) == 66.7


@pytest.fixture
def counters(staff):
    one = roster.save_counter(staff.head, staff.binh_thanh, 1, "Tư pháp", [])
    two = roster.save_counter(staff.head, staff.binh_thanh, 2, "Đất đai", [])
    return one, two


def test_a_number_taken_called_and_served(client, staff, counters):
    one, two = counters
    page = client.get("/lay-so/").content.decode()
    assert "Quầy 1 — Tư pháp" in page and "Quầy 2 — Đất đai" in page
    first = client.post("/lay-so/phieu/", {"quay": one.pk})
    assert first.status_code == 200 and "1001" in first.content.decode()
    client.post("/lay-so/phieu/", {"quay": two.pk})
    second = client.post("/lay-so/phieu/", {"quay": one.pk}).content.decode()
    assert "1002" in second and "Trước ông/bà còn 1 người" in second
    assert client.post("/lay-so/phieu/", {"quay": "99999"}).status_code == 400
    assert QueueTicket.objects.count() == 3
    # the specialist is on duty at counter 1 now: they take counter 1's oldest, not counter 2's
    Shift.objects.create(
        unit=staff.binh_thanh,
        day=timezone.localdate(),
        part="day",
        official=staff.specialist,
        counter=one,
    )
    client.login(username=staff.specialist.username, password=PASSWORD)
    client.post("/ho-so/goi-so/")
    called = QueueTicket.objects.get(status="called")
    assert (called.number, called.called_to, called.called_by) == (
        "1001",
        one.label,
        staff.specialist,
    )
    feed = client.get("/lay-so/dang-goi/").json()
    assert feed["calls"][0]["number"] == "1001" and feed["waiting"] == 2
    assert (
        'số <span class="kiosk-ticket">1001</span>'
        in client.get("/danh-gia/quay/").content.decode()
    )
    client.post("/ho-so/goi-so/")  # the next: 1001 is served, 1002 called
    assert QueueTicket.objects.get(number="1001").status == "served"
    client.post("/ho-so/goi-so/xong/", {"vang": "1"})
    assert QueueTicket.objects.get(number="1002").status == "absent"
    response = client.post("/ho-so/goi-so/", follow=True)  # only counter 2's is left
    assert "Không còn ai chờ ở quầy của bạn." in response.content.decode()
    assert QueueTicket.objects.get(number="2001").status == "waiting"


def test_only_an_official_of_the_commune_calls(client, staff, counters):
    from motcua.queue.actions import call_next

    client.post("/lay-so/phieu/", {"quay": ""})
    with pytest.raises(DomainError) as refused:
        call_next(staff.neighbour_specialist, staff.binh_thanh, None, "Quầy 1")
    assert refused.value.code == "role_required"
    assert QueueTicket.objects.get().status == "waiting"


def test_the_dashboard_shows_waiting_and_service_times(client, staff, counters):
    from motcua.queue.actions import call_next, finish_ticket

    client.post("/lay-so/phieu/", {"quay": counters[0].pk})
    call_next(staff.specialist, staff.binh_thanh, None, "Quầy 1")
    ticket = QueueTicket.objects.get()
    # as if taken 12 minutes before the call, served 5 minutes after it
    QueueTicket.objects.filter(pk=ticket.pk).update(taken_at=ticket.called_at - 12 * M)
    finish_ticket(staff.specialist, staff.binh_thanh)
    QueueTicket.objects.filter(pk=ticket.pk).update(served_at=ticket.called_at + 5 * M)
    client.login(username=staff.head.username, password=PASSWORD)
    html = client.get("/thong-ke/").content.decode()
    assert "1 số thứ tự đã phát trong kỳ: 1 người được phục vụ, 0 vắng mặt" in html
    assert "Thời gian chờ (trung vị): <strong>12,0 phút</strong>" in html
    assert "thời gian phục vụ (trung vị): <strong>5,0 phút</strong>" in html
