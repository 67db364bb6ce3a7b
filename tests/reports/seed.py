"""Dossiers that produce the seed's figures (the commune's own report, section 1(b) and (c)).

Year 2023: received 3,834 (online 3,778, direct 56); resolved 3,829: early 3,427, on time 402,
late 0; 5 in progress at 31/12/2023. Digitised 2,513 of 2,513 dossiers to digitise (the other
1,321 are certifications, not digitised: TT 03/2025 Điều 5).
Q1/2024: received 521, all online; resolved 521: early 409, on time 112; digitised 512 of 516.

Times follow the desk's real working calendar: an early dossier ends a working day before its
due day, an on-time one on its due day before the due moment.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from motcua.catalog.models import Procedure
from motcua.core.calendar import DurationKind
from motcua.core.codes import format_dossier_code
from motcua.dossiers.history import Step, bulk_save
from motcua.dossiers.models import Dossier
from motcua.units.models import Desk
from motcua.units.queries import work_calendar_for_desk

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


def plan_2023() -> list[dict]:
    """One dict per dossier: channel, outcome (early/on_time/open), digitisable, digitised."""
    rows = []
    outcomes = ["early"] * 3427 + ["on_time"] * 402 + ["open"] * 5
    channels = ["online"] * 3778 + ["direct"] * 56
    rng = random.Random(2023)
    rng.shuffle(channels)
    digitisable = [True] * 2513 + [False] * 1321
    rng.shuffle(digitisable)
    for outcome, channel, to_digitise in zip(outcomes, channels, digitisable, strict=True):
        rows.append(
            {
                "channel": channel,
                "outcome": outcome,
                "digitisable": to_digitise,
                "digitised": to_digitise,  # 2,513 / 2,513
            }
        )
    return rows


def plan_q1_2024() -> list[dict]:
    outcomes = ["early"] * 409 + ["on_time"] * 112
    rng = random.Random(2024)
    rng.shuffle(outcomes)
    digitisable = [True] * 516 + [False] * 5
    digitised = [True] * 512 + [False] * 4
    rows = []
    for i, outcome in enumerate(outcomes):
        to_digitise = digitisable[i]
        rows.append(
            {
                "channel": "online",
                "outcome": outcome,
                "digitisable": to_digitise,
                "digitised": to_digitise and digitised[i] if i < 516 else False,
            }
        )
    return rows


def working_days(calendar, start: date, end: date) -> list[date]:
    days, d = [], start
    while d <= end:
        if calendar.is_working_day(d):
            days.append(d)
        d += timedelta(days=1)
    return days


def build(unit_code: str, plan: list[dict], start: date, end: date, seed: int) -> list[Dossier]:
    """Bulk-create the dossiers of ``plan`` received between ``start`` and ``end``.

    Open dossiers are received in the period's last days with a due moment after its end.
    """
    desk = Desk.objects.get(unit_id=unit_code)
    calendar = work_calendar_for_desk(desk)
    process = Procedure.objects.select_related("current_version").get(code="1.001193")
    certify = Procedure.objects.select_related("current_version").get(code="2.000815")
    rng = random.Random(seed)
    days = working_days(calendar, start, end)
    sequence: dict[date, int] = {}
    pairs = []
    for row in plan:
        procedure = process if row["digitisable"] else certify
        version = procedure.current_version
        # a 3-working-day procedure, so every dossier has room to end early
        duration, kind = 3, DurationKind.WORKING_DAYS
        if row["outcome"] == "open":
            day = days[-1]
        else:
            day = rng.choice(days[: len(days) - 5])
        received = datetime.combine(day, time(8, 0), LOCAL) + timedelta(
            minutes=rng.randrange(0, 180)
        )
        due = calendar.due_at(received, duration, kind)
        if row["outcome"] == "early":
            ended = datetime.combine(calendar.working_day_after(received.date(), 1), time(9), LOCAL)
        elif row["outcome"] == "on_time":
            ended = due - timedelta(minutes=30)
        else:
            ended = None
        sequence[day] = sequence.get(day, 0) + 1
        code = format_dossier_code(desk.electronic_code, day, sequence[day])
        dossier = Dossier(
            unit_id=unit_code,
            procedure=procedure,
            procedure_version=version,
            code=code,
            channel=row["channel"],
            state="returned" if ended else "in_review",
            applicant_name="Nguyễn Văn An",
            received_at=received,
            due_at=due,
            original_due_at=due,
            done_at=ended,
            ended_at=ended,
            returned_at=ended,
            timeliness=row["outcome"] if ended else "",
            components_digitised=row["digitised"],
            result_digitised=row["digitised"],
        )
        steps = [
            Step("create", "draft", received - timedelta(minutes=2), "Cán bộ", "specialist"),
            Step("receive", "received", received, "Cán bộ", "specialist", data={"code": code}),
        ]
        if ended:
            steps.append(Step("issue", "done", ended, "Văn thư", "clerk"))
            steps.append(Step("return_result", "returned", ended, "Cán bộ", "specialist"))
        else:
            steps.append(Step("start_review", "in_review", received, "Cán bộ", "specialist"))
        pairs.append((dossier, steps))
    bulk_save(pairs)
    return [d for d, _ in pairs]


def build_seed(unit_code: str = "05605") -> None:
    build(unit_code, plan_2023(), date(2023, 1, 1), date(2023, 12, 31), seed=1)
    build(unit_code, plan_q1_2024(), date(2024, 1, 1), date(2024, 3, 31), seed=2)
