"""Synthetic dossiers at scale: N communes × M dossiers a year in one province (bench data).

    DATABASE_URL=postgres://postgres@localhost/motcua_bench \\
        .venv/bin/python bench/synthetic.py --communes 100 --per-commune 10000

Shares follow the brief of issue 5 item 6 and the seed report (Bình Thành 2023): mostly online
(submitted by the applicant or by an official for them), some direct, a little by post; the
loaded catalogue weighted so that civil status (hộ tịch) and certification (chứng thực) carry
most of the volume; about 88 % early, 11 % on time, under 1 % late; refusals, withdrawals,
supplements (answered, pending, or stopped after 30 days); about 0.5 % still in progress at the
end of the year, some of them overdue; digitisation flags about 95 %, reuse about 40 %.
Dossiers are received over the working days of the year by the desk's own calendar, and every
moment (due, end) comes from that calendar, as in ``motcua.demo.dossiers``.

Only the dossiers and their statistics cells are written (``count_new_dossiers`` then
``insert_rows``, one transaction per commune). **No events**: the audit log of bench data is
empty, so ``motcua audit verify`` has nothing to check; statistics do not read events.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time as clock
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
os.environ.setdefault("MOTCUA_DATA_DIR", tempfile.mkdtemp(prefix="motcua-bench-"))

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")

# Share of the volume by field (the demo catalogue's fields); what is left is spread evenly over
# any other field of the loaded catalogue.
FIELD_SHARES = {
    "Hộ tịch": 0.40,
    "Chứng thực": 0.27,
    "Bảo trợ xã hội": 0.08,
    "Thành lập và hoạt động của hộ kinh doanh": 0.06,
    "Người có công": 0.04,
    "Đất đai": 0.03,
    "Hoạt động xây dựng": 0.03,
    "Giảm nghèo": 0.02,
    "Hòa giải ở cơ sở": 0.02,
    "Thi đua, khen thưởng": 0.01,
    "Văn hóa cơ sở": 0.01,
    "Nuôi con nuôi": 0.003,
    "Thủy sản": 0.003,
    "Tín ngưỡng, tôn giáo": 0.002,
    "Tổ chức hội": 0.002,
}
# Within a field, a same-day procedure weighs this much less than a multi-day one: same-day
# dossiers can only end on time (never early), and the seed's ~88 % early says most of the
# volume has room to end early. Certification here is thus mostly the 2-day kinds.
SAME_DAY_DISCOUNT = 12
CHANNEL_WEIGHTS = (
    ("online_assisted", 60),
    ("online", 31),
    ("direct", 8),
    ("post", 1),
)
DIGITISED = 0.95
REUSED = 0.40
SUPPLEMENT_DEADLINE = timedelta(days=30)


@dataclass(frozen=True)
class Generated:
    dossiers: int
    communes: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.dossiers / self.seconds if self.seconds else 0.0


def year_end(year: int) -> datetime:
    """The moment the bench data is 'now': the close of the year's last day."""
    return datetime(year, 12, 31, 17, 0, tzinfo=LOCAL)


# --- set-up: units, catalogue, desks ---------------------------------------------------------


def ensure_desks(province: str, communes: int) -> list:
    """The first ``communes`` communes of ``province`` (by code), each with a desk; loads the
    units (``motcua load-units``) and the demo catalogue when missing."""
    from motcua.catalog.actions import import_procedures_file
    from motcua.catalog.models import Procedure
    from motcua.demo.load import CATALOGUE_FILE
    from motcua.units.actions import create_desk, load_units
    from motcua.units.models import Desk, Unit

    if not Unit.objects.filter(province_id=province).exists():
        load_units()
    if not Procedure.objects.filter(is_active=True).exists():
        import_procedures_file(CATALOGUE_FILE)
    codes = list(
        Unit.objects.filter(province_id=province)
        .order_by("code")
        .values_list("code", flat=True)[:communes]
    )
    if len(codes) < communes:
        raise SystemExit(f"province {province} has only {len(codes)} communes")
    have = set(Desk.objects.filter(unit_id__in=codes).values_list("unit_id", flat=True))
    for code in codes:
        if code not in have:
            create_desk(unit_code=code, electronic_code=f"SYN.{province}.{code}")
    desks = Desk.objects.filter(unit_id__in=codes).select_related("unit")
    return sorted(desks, key=lambda d: d.unit_id)


def weighted_procedures() -> tuple[list, list[float]]:
    """Active procedures and their weights (FIELD_SHARES, SAME_DAY_DISCOUNT)."""
    from motcua.catalog.models import Procedure

    procedures = list(
        Procedure.objects.filter(is_active=True)
        .select_related("current_version", "field")
        .order_by("code")
    )
    by_field: dict[str, list] = {}
    for p in procedures:
        by_field.setdefault(p.field.name, []).append(p)
    others = [name for name in by_field if name not in FIELD_SHARES]
    rest = max(0.01, 1 - sum(FIELD_SHARES[name] for name in by_field if name in FIELD_SHARES))
    weights = []
    for p in procedures:
        name = p.field.name
        share = FIELD_SHARES.get(name, rest / max(len(others), 1))
        own = 1 if p.current_version.duration == 0 else SAME_DAY_DISCOUNT
        total = sum(
            1 if q.current_version.duration == 0 else SAME_DAY_DISCOUNT for q in by_field[name]
        )
        weights.append(share * own / total)
    return procedures, weights


# --- one dossier -----------------------------------------------------------------------------


def receipt_moments(rng: random.Random, calendar, year: int, count: int, now: datetime):
    """``count`` receipt moments over the working days of ``year`` before ``now``, in order:
    a random office minute of a random working day (07:30–11:30, 13:00–17:00)."""
    day, days = date(year, 1, 1), []
    while day <= now.date():
        if calendar.is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    moments = []
    for _ in range(count):
        minute = rng.randrange(480)
        opening = time(7, 30) if minute < 240 else time(13, 0)
        moment = datetime.combine(rng.choice(days), opening, LOCAL) + timedelta(
            minutes=minute % 240
        )
        moments.append(min(moment, now - timedelta(minutes=1)))
    moments.sort()
    return moments


def one_dossier(rng, desk, calendar, procedure, received: datetime, sequence: int, now):
    """A dossier received at ``received``, in the state it has at ``now``."""
    from motcua.core.calendar import DurationKind
    from motcua.core.classify import DossierClock, resolution
    from motcua.core.codes import format_dossier_code
    from motcua.demo.dossiers import person, pick
    from motcua.dossiers.models import Dossier

    version = procedure.current_version
    channel = pick(rng, CHANNEL_WEIGHTS)
    name, citizen_id, phone, address = person(rng)
    due = calendar.due_at(received, version.duration, DurationKind(version.duration_unit))
    original_due = due
    total = max(calendar.working_minutes_between(received, due), 30)

    def at(share: float) -> datetime:
        return calendar.add_working_minutes(received, max(1, int(total * share)))

    dossier = Dossier(
        unit_id=desk.unit_id,
        procedure=procedure,
        procedure_version=version,
        code=format_dossier_code(desk.electronic_code, received.date(), sequence),
        channel=channel,
        applicant_name=name,
        applicant_id_number=citizen_id,
        applicant_phone=phone,
        applicant_address=address,
        submitted_components=[c["name"] for c in version.components],
        received_at=received,
        components_digitised=rng.random() < DIGITISED,
        result_digitised=rng.random() < DIGITISED,
        reused_stored_document=rng.random() < REUSED,
    )
    roll = rng.random()
    finish = rng.uniform(0.1, 0.7) if roll < 0.95 else rng.uniform(0.75, 1.0)
    if roll > 0.996:
        finish = rng.uniform(1.05, 1.5)  # late
    branch = rng.random()
    state, ended, pending = "returned", None, None
    if branch < 0.0005:  # stuck: never ended (overdue in progress once past due)
        state, finish = "in_review", None
    elif branch < 0.0105:
        state, ended = "refused", at(0.5 * finish)
    elif branch < 0.0155:
        state, ended = "withdrawn", at(0.3 * finish)
    elif branch < 0.0305:  # a supplement requested: the clock stops while the applicant works
        asked = at(0.3 * finish)
        dossier.supplement_requests = 1
        answered = branch < 0.028
        back = (
            calendar.add_working_minutes(asked, rng.randrange(1, 6) * 480)
            if answered
            else asked + SUPPLEMENT_DEADLINE
        )
        if back > now:
            state, pending, finish = "awaiting_supplement", asked, None
        else:
            paused = calendar.working_minutes_between(asked, back)
            dossier.paused_minutes = paused
            due = calendar.extend(due, paused)
            if answered:
                ended = calendar.add_working_minutes(back, max(1, int(total * finish * 0.7)))
            else:  # never supplemented: stopped (Mẫu 05)
                state, ended, finish = "stopped", back, None
    elif branch < 0.0325:  # asked twice: late by rule
        dossier.supplement_requests = 2
        ended = at(finish * 1.2)
    if finish is not None and ended is None:
        ended = at(finish)
    if ended is not None and ended > now:
        state, ended = ("awaiting_approval" if rng.random() < 0.5 else "in_review"), None
    dossier.state = state
    dossier.due_at, dossier.original_due_at = due, original_due
    dossier.pending_supplement_since = pending
    if ended is not None:
        dossier.ended_at = ended
        if state == "returned":
            dossier.done_at = ended
            returned = ended + timedelta(minutes=rng.randrange(5, 240))
            dossier.returned_at = min(returned, now)
        outcome = resolution(
            DossierClock(
                due_at=due, ended_at=ended, supplement_requests=dossier.supplement_requests
            )
        )
        dossier.timeliness = outcome.value if outcome else ""
    return dossier


# --- many dossiers ---------------------------------------------------------------------------


def dossiers_of_desk(desk, count: int, year: int, seed: int, procedures, weights, now) -> list:
    from motcua.units.queries import work_calendar_for_desk

    rng = random.Random(f"{seed}-{desk.unit_id}")
    calendar = work_calendar_for_desk(desk)
    picked = rng.choices(procedures, weights=weights, k=count)
    out, sequence = [], {}
    for procedure, received in zip(
        picked, receipt_moments(rng, calendar, year, count, now), strict=True
    ):
        day = received.date()
        sequence[day] = sequence.get(day, 0) + 1
        out.append(one_dossier(rng, desk, calendar, procedure, received, sequence[day], now))
    return out


def generate(
    desks: list,
    per_commune: int,
    year: int,
    *,
    seed: int = 2025,
    now: datetime | None = None,
    progress: Callable[[str], None] | None = print,
) -> Generated:
    """``per_commune`` dossiers received in ``year`` at each desk, counted in the statistics
    cells; one transaction per desk. No events (see the module docstring)."""
    from django.db import transaction

    from motcua.dossiers.history import bump_sequences
    from motcua.dossiers.models import Dossier
    from motcua.reports.cells import count_new_dossiers
    from motcua.rows import insert_rows

    now = now or year_end(year)
    procedures, weights = weighted_procedures()
    began, made = clock.perf_counter(), 0
    for i, desk in enumerate(desks, start=1):
        dossiers = dossiers_of_desk(desk, per_commune, year, seed, procedures, weights, now)
        with transaction.atomic():
            count_new_dossiers(dossiers)
            insert_rows(Dossier, dossiers, batch_size=2000)
            bump_sequences([d.code for d in dossiers])
        made += len(dossiers)
        if progress is not None and (i == len(desks) or i % max(1, len(desks) // 20) == 0):
            elapsed = clock.perf_counter() - began
            progress(
                f"  {i}/{len(desks)} communes, {made:,} dossiers, {elapsed:.0f} s, "
                f"{made / elapsed:,.0f} dossiers/s"
            )
    return Generated(made, len(desks), clock.perf_counter() - began)


def shares(unit_codes: tuple[str, ...] | None = None) -> dict[str, dict[str, float]]:
    """Percentages of the generated dossiers by channel, state, timeliness and field."""
    from collections import Counter

    from motcua.dossiers.models import Dossier

    dossiers = Dossier.objects.all()
    if unit_codes is not None:
        dossiers = dossiers.filter(unit_id__in=unit_codes)
    total = dossiers.count() or 1
    out = {}
    for column in ("channel", "state", "timeliness", "procedure_version__field__name"):
        counts = Counter(dossiers.values_list(column, flat=True))
        out[column] = {k: round(100 * v / total, 2) for k, v in counts.most_common()}
    for column in ("components_digitised", "result_digitised", "reused_stored_document"):
        out[column] = {"true": round(100 * dossiers.filter(**{column: True}).count() / total, 2)}
    return out


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--province", default="01")
    parser.add_argument("--communes", type=int, default=1)
    parser.add_argument("--per-commune", type=int, default=10_000)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--shares", action="store_true", help="print the shares obtained")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    desks = ensure_desks(args.province, args.communes)
    done = generate(desks, args.per_commune, args.year, seed=args.seed)
    print(f"{done.dossiers:,} dossiers in {done.seconds:.1f} s = {done.rate:,.0f} per second")
    if args.shares:
        for column, values in shares(tuple(d.unit_id for d in desks)).items():
            print(f"  {column}: {values}")


if __name__ == "__main__":
    main(sys.argv[1:])
