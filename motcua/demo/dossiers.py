"""A year of realistic demo dossiers at one desk, in every state.

Volumes and shares follow the seed report (Bình Thành 2023: 3,834 dossiers, 98.5 % online, most
of them submitted online by officials for the citizen; resolved mostly early, some on time,
none late) with a small share of the branches (supplement, refusal, withdrawal, stop, transfer,
apology) so every screen has something on it. Built in memory and bulk-inserted with valid hash
chains (``motcua.dossiers.history``); with the unit's collection settings, their fees, payments
and receipts too (``motcua.demo.payments``).
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import Role, User
from motcua.catalog.models import Procedure
from motcua.core.calendar import DurationKind
from motcua.core.classify import DossierClock, resolution
from motcua.core.codes import format_dossier_code
from motcua.core.lifecycle import State
from motcua.core.localtime import LOCAL_TZ
from motcua.demo.payments import plan_fees, save_fees
from motcua.dossiers.history import Step, bulk_save
from motcua.dossiers.models import Channel, Dossier, PaperLocation
from motcua.payments.models import PaymentSettings
from motcua.units.models import Desk
from motcua.units.queries import work_calendar_for_desk

FAMILY = [
    "Nguyễn",
    "Hoàng",
    "Ma",
    "Nông",
    "Lường",
    "Triệu",
    "Đinh",
    "Hà",
    "La",
    "Mông",
    "Dương",
    "Lò",
    "Trần",
    "Lê",
    "Phạm",
    "Vi",
    "Lục",
    "Bế",
]
MIDDLE_M = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân"]
MIDDLE_F = ["Thị", "Thu", "Ngọc", "Thanh", "Kim"]
GIVEN_M = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hải",
    "Hùng",
    "Khánh",
    "Long",
    "Nam",
    "Phúc",
    "Quân",
    "Sơn",
    "Tài",
    "Thắng",
    "Toàn",
    "Việt",
]
GIVEN_F = [
    "Anh",
    "Chi",
    "Dung",
    "Hạnh",
    "Hoa",
    "Hương",
    "Lan",
    "Liên",
    "Mai",
    "Nga",
    "Nhung",
    "Oanh",
    "Phương",
    "Thảo",
    "Trang",
    "Yến",
]
HAMLETS = [
    "Nà Lẹng",
    "Khuân Lặng",
    "Bản Pài",
    "Làng Mới",
    "Đồng Dọc",
    "Nà Mỵ",
    "Thẩm Rộc",
    "Bình Nguyên",
    "Pác Cáp",
    "Nạ Á",
]
CHANNEL_WEIGHTS = [
    (Channel.ONLINE_ASSISTED, 70),
    (Channel.ONLINE, 28),
    (Channel.DIRECT, 1.5),
    (Channel.POST, 0.5),
]


def person(rng: random.Random) -> tuple[str, str, str, str]:
    female = rng.random() < 0.5
    name = " ".join(
        [
            rng.choice(FAMILY),
            rng.choice(MIDDLE_F if female else MIDDLE_M),
            rng.choice(GIVEN_F if female else GIVEN_M),
        ]
    )
    year = rng.randint(1950, 2006)
    digit = (year - 1900) // 100 * 2 + (1 if female else 0)
    citizen_id = f"019{digit}{year % 100:02d}{rng.randrange(10**6):06d}"
    phone = f"09{rng.randrange(10**8):08d}"
    address = f"Thôn {rng.choice(HAMLETS)}, xã Bình Thành, tỉnh Thái Nguyên"
    return name, citizen_id, phone, address


def pick(rng: random.Random, weighted):
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


@transaction.atomic
def generate_year(
    desk: Desk,
    *,
    days: int = 365,
    per_day: float = 15.0,
    seed: int = 2024,
    now: datetime | None = None,
    fees: PaymentSettings | None = None,
) -> int:
    """Create about ``days`` of dossiers ending today; return how many. ``fees``: the unit's
    collection settings, to give the dossiers of charging procedures their fees (none
    without)."""
    rng = random.Random(seed)
    now = now or timezone.now()
    calendar = work_calendar_for_desk(desk)
    procedures = list(
        Procedure.objects.filter(is_active=True).select_related("current_version", "field")
    )
    staff = list(User.objects.filter(unit=desk.unit).prefetch_related("staff_roles", "fields"))
    by_role = {role: [u for u in staff if role in u.role_codes()] for role in Role.values}
    specialists_by_field: dict[int, list[User]] = {}
    for user in by_role[Role.SPECIALIST]:
        for f in user.fields.all():
            specialists_by_field.setdefault(f.pk, []).append(user)
    # Same-day procedures can only end on time (never "early"); the seed's 89 % early means
    # multi-day procedures carry most of the volume, civil status and certification first.
    weights = [
        (3 if p.current_version.duration > 0 else 1)
        * (3 if p.field.name in ("Hộ tịch", "Chứng thực") else 1)
        for p in procedures
    ]
    pairs = []
    today = timezone.localtime(now, LOCAL_TZ).date()
    day = today - timedelta(days=days)
    while day < today:
        day += timedelta(days=1)
        if not calendar.is_working_day(day):
            continue
        count = max(0, int(rng.gauss(per_day, 4)))
        for sequence in range(1, count + 1):
            moment = datetime.combine(day, time(7, 30), LOCAL_TZ) + timedelta(
                minutes=rng.randrange(0, 9 * 60)
            )
            if moment >= now:
                break
            procedure = rng.choices(procedures, weights=weights)[0]
            officials = specialists_by_field.get(procedure.field_id) or by_role[Role.SPECIALIST]
            pairs.append(
                one_dossier(
                    rng,
                    desk,
                    calendar,
                    procedure,
                    moment,
                    sequence,
                    rng.choice(officials),
                    rng.choice(by_role[Role.LEADER]),
                    rng.choice(by_role[Role.CLERK]),
                    now,
                )
            )
    # after every dossier is drawn: the same seed gives the same dossiers with or without fees
    fee_rows = plan_fees(rng, desk, fees, pairs, now) if fees is not None else None
    bulk_save(pairs)
    if fee_rows is not None:
        save_fees(fee_rows)
    return len(pairs)


def one_dossier(rng, desk, calendar, procedure, received, sequence, official, leader, clerk, now):
    version = procedure.current_version
    channel = pick(rng, CHANNEL_WEIGHTS)
    name, citizen_id, phone, address = person(rng)
    due = calendar.due_at(received, version.duration, DurationKind(version.duration_unit))
    total = max(calendar.working_minutes_between(received, due), 30)
    code = format_dossier_code(desk.electronic_code, received.date(), sequence)
    dossier = Dossier(
        unit_id=desk.unit_id,
        procedure=procedure,
        procedure_version=version,
        code=code,
        channel=channel,
        applicant_name=name,
        applicant_id_number=citizen_id,
        applicant_phone=phone,
        applicant_address=address,
        submitted_components=[c["name"] for c in version.components],
        received_at=received,
        due_at=due,
        original_due_at=due,
        assigned_to=official,
        paper_location=PaperLocation.DESK
        if channel in (Channel.DIRECT, Channel.POST)
        else PaperLocation.NONE,
        components_digitised=rng.random() < 0.97,
        result_digitised=rng.random() < 0.9,
        reused_stored_document=rng.random() < 0.35,
    )

    def at(share: float) -> datetime:
        return calendar.add_working_minutes(received, max(1, int(total * share)))

    def who(user, role):
        return {"actor_id": user.pk, "actor_name": user.display_name, "actor_role": role}

    steps = [
        Step(
            "create",
            State.DRAFT,
            received - timedelta(minutes=3),
            **who(official, "specialist"),
            data={"channel": channel, "procedure": procedure.code},
        ),
        Step(
            "receive",
            State.RECEIVED,
            received,
            **who(official, "specialist"),
            data={"code": code, "due_at": due.isoformat()},
        ),
    ]
    roll = rng.random()
    finish = rng.uniform(0.15, 0.75) if roll < 0.86 else rng.uniform(0.8, 1.0)
    if roll > 0.995:
        finish = rng.uniform(1.05, 1.4)  # a few late ones
    plan = [("start_review", State.IN_REVIEW, official, "specialist", 0.05 * finish)]
    branch = rng.random()
    if branch < 0.02:
        plan.append(
            (
                "request_supplement",
                State.AWAITING_SUPPLEMENT,
                official,
                "specialist",
                0.3 * finish,
                "Bổ sung bản sao giấy tờ còn thiếu",
            )
        )
    elif branch < 0.03:
        plan.append(
            (
                "refuse",
                State.REFUSED,
                leader,
                "leader",
                0.5 * finish,
                "Không đủ điều kiện theo quy định",
            )
        )
    elif branch < 0.035:
        plan.append(
            (
                "withdraw",
                State.WITHDRAWN,
                official,
                "specialist",
                0.3 * finish,
                "Người nộp đề nghị rút hồ sơ",
            )
        )
    elif branch < 0.038:
        plan.append(
            (
                "transfer",
                State.TRANSFERRED,
                official,
                "specialist",
                0.2 * finish,
                "Chuyển Chi nhánh Văn phòng đăng ký đất đai",
            )
        )
    else:
        plan += [
            ("submit_for_approval", State.AWAITING_APPROVAL, official, "specialist", 0.6 * finish),
            ("approve", State.AWAITING_ISSUE, leader, "leader", 0.85 * finish),
            ("issue", State.DONE, clerk, "clerk", finish),
        ]
        if rng.random() < 0.98:
            plan.append(("return_result", State.RETURNED, official, "specialist", finish + 0.3))
    for action, state, user, role, share, *note in plan:
        moment = at(share)
        if moment >= now:
            break
        data = {}
        if action == "request_supplement":
            dossier.supplement_requests = 1
            dossier.pending_supplement_since = moment
        if action == "return_result":
            dossier.returned_at = moment
            data = {"electronic": True}
        if action == "issue":
            dossier.done_at = moment
        if state in (State.DONE, State.REFUSED, State.WITHDRAWN) and dossier.ended_at is None:
            dossier.ended_at = moment
        steps.append(
            Step(action, state, moment, **who(user, role), note=note[0] if note else "", data=data)
        )
        if action == "request_supplement":
            deadline = moment + timedelta(days=30)
            if deadline < now:  # never supplemented: the leader stops it (Mẫu 05)
                dossier.pending_supplement_since = None
                dossier.ended_at = deadline
                steps.append(
                    Step(
                        "stop",
                        State.STOPPED,
                        deadline,
                        **who(leader, "leader"),
                        note="Quá thời hạn bổ sung hồ sơ mà người nộp không bổ sung",
                    )
                )
            break
    dossier.state = steps[-1].to_state
    if (
        dossier.state in (State.DONE, State.RETURNED)
        and dossier.paper_location != PaperLocation.NONE
    ):
        dossier.paper_location = (
            PaperLocation.RETURNED if dossier.state == State.RETURNED else PaperLocation.DESK
        )
    if dossier.ended_at:
        result = resolution(
            DossierClock(
                due_at=due,
                ended_at=dossier.ended_at,
                supplement_requests=dossier.supplement_requests,
            )
        )
        dossier.timeliness = result.value if result else ""
    return dossier, steps
