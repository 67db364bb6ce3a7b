"""The demo's duty roster: three counters and this week and next, through the roster's own
actions (``motcua.roster.actions``): the desk's officials in turn at the counters, the commune
police receiving residence matters at their own office (the seed's objection to police at the
desk), the military on Wednesday mornings, one stand-in."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from motcua.accounts.models import User
from motcua.catalog.models import Field
from motcua.core.roster import RosterError, monday_of
from motcua.roster import actions
from motcua.roster.models import Shift
from motcua.units.models import Desk

COUNTERS = [
    (1, "Tư pháp - Hộ tịch, Chứng thực", ("Hộ tịch", "Chứng thực", "Nuôi con nuôi")),
    (2, "Đất đai, Xây dựng, Nông nghiệp", ("Đất đai", "Hoạt động xây dựng", "Nông nghiệp")),
    (3, "Văn hóa - Xã hội, Tài chính", ("Bảo trợ xã hội", "Người có công", "Tài chính")),
]
# weekday → (counter number, morning, afternoon) by user name
TURNS = {
    0: {1: ("tuphap1", "tuphap2"), 2: ("diachinh1", "diachinh2"), 3: ("vanhoa2", "taichinh")},
    1: {1: ("tuphap2", "tuphap1"), 2: ("diachinh2", "diachinh1"), 3: ("vanhoa1", "vanhoa2")},
    2: {1: ("tuphap1", "tuphap2"), 2: ("diachinh1", "diachinh2"), 3: ("quansu", "vanhoa1")},
    3: {1: ("tuphap2", "tuphap1"), 2: ("diachinh2", "diachinh1"), 3: ("taichinh", "vanhoa2")},
    4: {1: ("tuphap1", "tuphap2"), 2: ("diachinh1", "diachinh2"), 3: ("vanhoa2", "vanhoa1")},
}
POLICE_PLACE = "Trụ sở Công an xã (cạnh UBND xã), lĩnh vực cư trú"


def add_demo_roster(desk: Desk) -> int:
    unit = desk.unit
    if Shift.objects.filter(unit=unit).exists():
        return 0
    head = User.objects.get(username="chutich")
    users = {u.username: u for u in User.objects.filter(unit=unit)}
    counters = {}
    for number, name, fields in COUNTERS:
        ids = list(Field.objects.filter(name__in=fields).values_list("pk", flat=True))
        counters[number] = actions.save_counter(head, unit, number, name, ids)
    monday = monday_of(timezone.localdate())
    added = 0
    for offset in range(14):
        day = monday + timedelta(days=offset)
        for number, (morning, afternoon) in TURNS.get(day.weekday(), {}).items():
            for part, name in (("morning", morning), ("afternoon", afternoon)):
                added += _try(
                    head,
                    unit,
                    actions.ShiftData(
                        day=day,
                        part=part,
                        official_id=users[name].pk,
                        counter_id=counters[number].pk,
                    ),
                )
        if day.weekday() in (1, 3):
            added += _try(
                head,
                unit,
                actions.ShiftData(
                    day=day,
                    part="day",
                    official_id=users["congan"].pk,
                    at_own_office=True,
                    place=POLICE_PLACE,
                ),
            )
    # one stand-in: next Friday afternoon, Đinh Thị Lan is away
    friday = monday + timedelta(days=11)
    taken = Shift.objects.filter(unit=unit, day=friday, part="afternoon", counter__number=1)
    for s in taken:
        actions.remove_shift(head, unit, s.pk)
        added += (
            _try(
                head,
                unit,
                actions.ShiftData(
                    day=friday,
                    part="afternoon",
                    official_id=users["vanphong"].pk,
                    counter_id=counters[1].pk,
                    stand_in_for_id=s.official_id,
                    field_ids=[f.pk for f in counters[1].fields.all()],
                ),
            )
            - 1
        )
    return added


def _try(head, unit, data) -> int:
    try:
        actions.add_shift(head, unit, data)
    except RosterError:  # a day the desk is closed (a holiday)
        return 0
    return 1
