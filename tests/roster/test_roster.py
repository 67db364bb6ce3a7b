"""The duty roster (issue 14, item 4): shifts by day and half-day at a counter or at the
member's own office (the commune police), stand-ins, the fields covered; refused, with nothing
stored, for a person of another commune, a day the desk is closed, an overlap; copied from
last week; printed; deciding who is offered an online dossier (the least loaded on duty for
its field); the workload page."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from motcua.accounts.models import Role
from motcua.catalog.models import Field
from motcua.core import roster as rules
from motcua.core.errors import DomainError
from motcua.roster import actions
from motcua.roster.models import ServiceCounter, Shift
from motcua.units.models import ConfigChange
from tests import factories
from tests.dossier_states import dossier_in
from tests.dossiers.test_slips import text_of
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

MON = date(2026, 8, 24)  # the week before Quốc khánh 2026


def shift(staff, **values):
    data = {"day": MON, "part": "morning", "official_id": staff.specialist.pk, **values}
    return actions.add_shift(staff.head, staff.binh_thanh, actions.ShiftData(**data))


def test_pick_the_least_loaded_by_hand():
    c = rules.Candidate
    assert rules.pick([c(7, 3, 0), c(5, 2, 4), c(9, 2, 1)]) == 9  # fewest open, then due soon
    assert rules.pick([c(7, 2, 1), c(5, 2, 1)]) == 5  # a tie: the smaller id
    assert rules.pick([]) is None


def test_a_shift_at_a_counter_and_one_at_the_police_office(staff):
    counter = actions.save_counter(staff.head, staff.binh_thanh, 1, "Tư pháp", [])
    s = shift(staff, counter_id=counter.pk)
    assert (s.counter, s.part_label) == (counter, "Sáng")
    police = factories.user("congan", staff.binh_thanh, Role.SPECIALIST, is_police=True)
    away = shift(
        staff, official_id=police.pk, part="day", at_own_office=True, place="Trụ sở Công an xã"
    )
    assert away.at_own_office and away.place == "Trụ sở Công an xã"
    # the make-up Saturday 22/08/2026 is a working day: a shift may be set
    assert shift(staff, day=date(2026, 8, 22)).day == date(2026, 8, 22)
    kinds = ConfigChange.objects.filter(unit=staff.binh_thanh).values_list("kind", flat=True)
    assert sorted(kinds) == ["counter", "shift_added", "shift_added", "shift_added"]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"official_id": "neighbour"}, "phải là cán bộ, công chức đang làm việc của Xã Bình Thành"),
        ({"stand_in_for_id": "neighbour"}, "Người được trực thay phải là cán bộ"),
        ({"stand_in_for_id": "self"}, "không trực thay cho chính mình"),
        ({"day": date(2026, 8, 23)}, "23/08/2026 là ngày nghỉ"),  # a Sunday
        ({"day": date(2026, 9, 2)}, "02/09/2026 là ngày nghỉ"),  # Quốc khánh
        ({"day": date(2026, 2, 17)}, "17/02/2026 là ngày nghỉ"),  # Tết
        ({"at_own_office": True}, "Hãy ghi nơi tiếp nhận"),
        ({"part": "evening"}, "sáng, chiều hoặc cả ngày"),
        ({"counter_id": "other"}, "Quầy không thuộc"),
        ({"field_ids": [99999]}, "lĩnh vực không có"),
    ],
)
def test_a_wrong_shift_is_refused_and_nothing_stored(staff, values, message):
    other = actions.save_counter(staff.admin, staff.neighbour, 1, "", [])
    swap = {
        "neighbour": staff.neighbour_specialist.pk,
        "self": staff.specialist.pk,
        "other": other.pk,
    }
    values = {k: swap.get(v, v) if isinstance(v, str) else v for k, v in values.items()}
    with pytest.raises(DomainError) as refused:
        shift(staff, **values)
    assert message in refused.value.message and refused.value.status == 400
    assert not Shift.objects.exists()
    assert not ConfigChange.objects.filter(kind="shift_added").exists()


def test_overlaps_and_who_may_set_the_roster(staff):
    shift(staff, part="morning")
    with pytest.raises(DomainError) as refused:
        shift(staff, part="day")
    assert "trùng buổi" in refused.value.message
    shift(staff, part="afternoon")  # the other half is free
    with pytest.raises(DomainError) as refused:
        actions.add_shift(
            staff.specialist,
            staff.binh_thanh,
            actions.ShiftData(day=MON, part="morning", official_id=staff.head.pk),
        )
    assert refused.value.status == 403
    with pytest.raises(DomainError) as refused:  # the neighbour's head cannot touch ours
        actions.remove_shift(staff.neighbour_specialist, staff.binh_thanh, Shift.objects.first().pk)
    assert refused.value.status == 403
    assert Shift.objects.count() == 2


def test_last_week_copied_without_the_days_off(staff):
    shift(staff, day=MON)  # Monday 24/08 → Monday 31/08, a day off (for Quốc khánh)
    shift(staff, day=date(2026, 8, 28), part="day")  # Friday → Friday 04/09
    added = actions.copy_week(staff.head, staff.binh_thanh, MON, date(2026, 8, 31))
    assert added == 1
    assert Shift.objects.filter(day=date(2026, 9, 4), part="day").count() == 1


def test_the_roster_page_the_printed_week_and_the_workload(client, staff):
    staff.specialist.full_name = "Ma Văn Hùng"
    staff.specialist.save()
    shift(staff, stand_in_for_id=staff.head.pk)
    client.login(username=staff.head.username, password=PASSWORD)
    html = client.get("/bo-phan/lich-truc/?tuan=2026-08-24").content.decode()
    assert "Ma Văn Hùng" in html and "trực thay" in html
    response = client.post(
        "/bo-phan/lich-truc/them/",
        {"ngay": "25/08/2026", "buoi": "afternoon", "can_bo": staff.head.pk, "quay": ""},
    )
    assert response.status_code == 302 and Shift.objects.count() == 2
    pdf = client.get("/bo-phan/lich-truc/ban-in.pdf?tuan=2026-08-24")
    assert pdf["Content-Type"] == "application/pdf"
    text = text_of(pdf.content, "roster-week")
    assert "LỊCH TRỰC CỦA CÁN BỘ, CÔNG CHỨC BỘ PHẬN MỘT CỬA" in text
    assert "Thứ Hai 24/08" in text and "Ma Văn Hùng" in text and "trực thay" in text
    dossier_in("received", staff)  # assigned to the specialist who received it
    work = client.get("/ho-so/khoi-luong/").content.decode()
    assert "Ma Văn Hùng" in work
    client.login(username=staff.specialist.username, password=PASSWORD)
    refused = client.post(
        "/bo-phan/lich-truc/them/",
        {"ngay": "26/08/2026", "buoi": "morning", "can_bo": staff.specialist.pk},
    )
    assert refused.status_code == 403 and Shift.objects.count() == 2


def on_duty_today(staff, official, fields=()):
    """A shift for the whole of today (set directly: today may be a weekend in CI)."""
    s = Shift.objects.create(
        unit=staff.binh_thanh, day=timezone.localdate(), part="day", official=official
    )
    s.fields.set(fields)
    return s


def test_an_online_dossier_is_offered_to_the_least_loaded_on_duty(staff):
    chung_thuc = Field.objects.get(name="Chứng thực")
    second = factories.user("tuphap2", staff.binh_thanh, Role.SPECIALIST)
    on_duty_today(staff, staff.specialist, [chung_thuc])
    on_duty_today(staff, second, [chung_thuc])
    dossier_in("received", staff)  # the specialist already has two open
    dossier_in("received", staff)
    offered = dossier_in("awaiting_reception", staff)
    assert offered.assigned_to == second  # 0 open against 2
    again = dossier_in("awaiting_reception", staff)
    assert again.assigned_to == second  # 1 against 2
    assert offered.events.get(action="submit_online").data["offered_to"] == "tuphap2"
    # the offered official sees it as theirs to receive; the other one does not
    from motcua.workflow.queries import worklist

    assert offered in worklist(second, "mine", now=timezone.now())
    assert offered not in worklist(staff.specialist, "mine", now=timezone.now())


def test_nobody_on_duty_for_the_field_leaves_it_unassigned(staff):
    other_field = Field.objects.exclude(name="Chứng thực").first()
    on_duty_today(staff, staff.specialist, [other_field])
    assert dossier_in("awaiting_reception", staff).assigned_to is None
    assert ServiceCounter.objects.count() == 0
