"""Import of past dossiers from the software a commune used before (all rows or none)."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.core.calendar import DurationKind
from motcua.core.classify import DossierClock, end_of_processing, resolution
from motcua.core.dossier_rows import DossierFileError, PastDossierRow, parse_dossier_rows
from motcua.core.lifecycle import EventKind
from motcua.core.localtime import LOCAL_TZ
from motcua.core.procedure_rows import RowError
from motcua.dossiers.history import Step, bulk_save
from motcua.dossiers.models import Dossier, PaperLocation
from motcua.tabular import read_table
from motcua.units.models import Desk
from motcua.units.queries import work_calendar_for_desk

BATCH = 2000


@dataclass(frozen=True)
class DossierImportResult:
    created: int
    skipped: int

    def __str__(self) -> str:
        return f"{self.created} hồ sơ mới, {self.skipped} hồ sơ đã có (bỏ qua)."


def aware(moment):
    return moment.replace(tzinfo=LOCAL_TZ) if moment and moment.tzinfo is None else moment


def unit_key(code: str) -> str:
    return f"{int(code):05d}" if code.isdigit() else code


def import_dossiers_file(path: str | Path, *, progress: bool | None = None) -> DossierImportResult:
    headers, rows = read_table(path)
    parsed = parse_dossier_rows(headers, rows)
    return import_dossier_rows(parsed, progress=progress)


def import_dossier_rows(
    rows: list[PastDossierRow], *, progress: bool | None = None
) -> DossierImportResult:
    from tqdm import tqdm

    desks = {
        d.unit_id: d for d in Desk.objects.filter(unit_id__in={unit_key(r.unit_code) for r in rows})
    }
    procedures = {
        p.code: p
        for p in Procedure.objects.select_related("current_version").filter(
            code__in={r.procedure_code for r in rows}
        )
    }
    errors = []
    for r in rows:
        if unit_key(r.unit_code) not in desks:
            errors.append(
                RowError(r.row, "ma_don_vi", f"đơn vị {r.unit_code} chưa có Bộ phận Một cửa")
            )
        if r.procedure_code not in procedures:
            errors.append(
                RowError(r.row, "ma_tthc", f"không có thủ tục {r.procedure_code} trong danh mục")
            )
    if errors:
        raise DossierFileError(errors)

    codes = [r.code for r in rows]
    existing: set[str] = set()
    for start in range(0, len(codes), 900):
        existing |= set(
            Dossier.objects.filter(code__in=codes[start : start + 900]).values_list(
                "code", flat=True
            )
        )
    todo = [r for r in rows if r.code not in existing]
    calendars = {unit: work_calendar_for_desk(desk) for unit, desk in desks.items()}
    now = timezone.now()
    bar = tqdm(
        total=len(todo),
        unit=" hồ sơ",
        desc="Nhập hồ sơ",
        file=sys.stderr,
        disable=(not progress) if progress is not None else None,
    )
    with transaction.atomic():
        for start in range(0, len(todo), BATCH):
            batch = [
                build(r, procedures[r.procedure_code], calendars[unit_key(r.unit_code)], now)
                for r in todo[start : start + BATCH]
            ]
            bulk_save(batch)
            bar.update(len(batch))
    bar.close()
    return DossierImportResult(created=len(todo), skipped=len(rows) - len(todo))


def build(r: PastDossierRow, procedure: Procedure, calendar, now) -> tuple[Dossier, list[Step]]:
    version = procedure.current_version
    received = aware(r.received_at)
    due = aware(r.due_at) or calendar.due_at(
        received, version.duration, DurationKind(version.duration_unit)
    )
    resolved, returned = aware(r.resolved_at), aware(r.returned_at)
    done_at = resolved if r.state in ("done", "returned") else None
    other_end = resolved if r.state in ("refused", "withdrawn") else None
    ended = end_of_processing(done_at, other_end, returned)
    result = resolution(DossierClock(due_at=due, ended_at=ended))
    dossier = Dossier(
        unit_id=unit_key(r.unit_code),
        procedure=procedure,
        procedure_version=version,
        code=r.code,
        channel=r.channel,
        state=r.state,
        applicant_name="(nhập từ phần mềm cũ)",
        received_at=received,
        due_at=due,
        original_due_at=due,
        done_at=done_at,
        ended_at=ended,
        returned_at=returned,
        timeliness=result.value if result else "",
        components_digitised=r.digitised,
        result_digitised=r.result_digitised,
        paper_location=PaperLocation.NONE,
        imported=True,
    )
    step = Step(
        action=EventKind.IMPORT,
        to_state=r.state,
        at=now,
        actor_name="Nhập dữ liệu",
        actor_role="system",
        data={"row": r.row, "received_at": received.isoformat(), "due_at": due.isoformat()},
    )
    return dossier, [step]
