"""Import of past dossiers from the software a commune used before (all rows or none).

The file is read, checked and inserted a batch at a time (:data:`BATCH` rows), inside one
transaction over the whole file: memory stays flat with the file's size (one batch, plus the
codes already met, kept on disk), and a bad row anywhere — even the last of a million — rolls
back every row before it, so nothing is stored unless every row is valid. Once a bad row is
found the rest of the file is still read and checked, so that every error is reported at once.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.core.calendar import DurationKind, WorkCalendar
from motcua.core.classify import DossierClock, end_of_processing, resolution
from motcua.core.dossier_rows import DossierRowReader, PastDossierRow
from motcua.core.lifecycle import EventKind
from motcua.core.localtime import LOCAL_TZ
from motcua.core.procedure_rows import RowError
from motcua.dossiers.history import Step, analyze, bulk_save
from motcua.dossiers.models import DailySequence, Dossier, DossierEvent, PaperLocation
from motcua.reports.models import StatCell, StatMonthCell
from motcua.tabular import open_table
from motcua.units.models import Desk
from motcua.units.queries import work_calendar_for_desk

BATCH = 2000
# Parameters in one IN (...) list: below SQLite's oldest limit of 999.
IN_CHUNK = 900
# What an import writes, to ANALYZE afterwards.
IMPORTED = (Dossier, DossierEvent, StatCell, StatMonthCell, DailySequence)


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


def chunks(items: Sequence, size: int = IN_CHUNK) -> Iterable[Sequence]:
    return (items[start : start + size] for start in range(0, len(items), size))


class DiskCodeIndex:
    """The codes met so far in a file (a :class:`motcua.core.dossier_rows.CodeIndex`), in a
    private temporary SQLite file that SQLite deletes on close.

    Why on disk: in a dict a code costs ~140 bytes, 140 MB for a million rows, the largest
    thing left once rows stream; here memory is bounded by the page cache (16 MB) and the file
    takes ~50 MB for a million codes. Checking a million codes in file order took 5 s here,
    against minutes for the import itself.
    """

    def __init__(self) -> None:
        self.db = sqlite3.connect("")  # "": a private temporary database on disk
        # Codes out of order touch pages all over the index: 16 MB of cache instead of
        # SQLite's 2 MB made 500,000 shuffled codes ~1.4× faster. No journal: the file is
        # thrown away at the end.
        self.db.execute("PRAGMA cache_size = -16000")
        self.db.execute("PRAGMA journal_mode = OFF")
        self.db.execute(
            "CREATE TABLE seen (code TEXT PRIMARY KEY, first_row INTEGER NOT NULL) WITHOUT ROWID"
        )

    def first_rows(self, codes: Sequence[tuple[str, int]]) -> dict[int, int]:
        distinct = list(dict.fromkeys(code for code, _ in codes))
        known: dict[str, int] = {}
        for part in chunks(distinct):
            marks = ", ".join("?" * len(part))
            known.update(
                self.db.execute(f"SELECT code, first_row FROM seen WHERE code IN ({marks})", part)
            )
        new: dict[str, int] = {}
        again: dict[int, int] = {}
        for code, row in codes:
            first = known.get(code, new.get(code))
            if first is None:
                new[code] = row
            else:
                again[row] = first
        self.db.executemany("INSERT INTO seen VALUES (?, ?)", new.items())
        return again

    def close(self) -> None:
        self.db.close()


class Targets:
    """The desks and procedures that a file's rows name, fetched once each, batch by batch."""

    def __init__(self) -> None:
        self.desks: dict[str, Desk | None] = {}
        self.procedures: dict[str, Procedure | None] = {}
        self.calendars: dict[str, WorkCalendar] = {}

    def errors(self, rows: Sequence[PastDossierRow]) -> list[RowError]:
        """Row errors for units without a desk and procedures not in the catalogue."""
        units = {unit_key(r.unit_code) for r in rows} - self.desks.keys()
        if units:
            found = {d.unit_id: d for d in Desk.objects.filter(unit_id__in=units)}
            self.desks.update({unit: found.get(unit) for unit in units})
        codes = {r.procedure_code for r in rows} - self.procedures.keys()
        if codes:
            found_procedures = {
                p.code: p
                for p in Procedure.objects.select_related("current_version").filter(code__in=codes)
            }
            self.procedures.update({code: found_procedures.get(code) for code in codes})
        errors = []
        for r in rows:
            if self.desks[unit_key(r.unit_code)] is None:
                errors.append(
                    RowError(r.row, "ma_don_vi", f"đơn vị {r.unit_code} chưa có Bộ phận Một cửa")
                )
            if self.procedures[r.procedure_code] is None:
                message = f"không có thủ tục {r.procedure_code} trong danh mục"
                errors.append(RowError(r.row, "ma_tthc", message))
        return errors

    def calendar(self, unit: str) -> WorkCalendar:
        if unit not in self.calendars:
            self.calendars[unit] = work_calendar_for_desk(self.desks[unit])
        return self.calendars[unit]

    def build(self, rows: Sequence[PastDossierRow], now) -> list[tuple[Dossier, list[Step]]]:
        return [
            build(r, self.procedures[r.procedure_code], self.calendar(unit_key(r.unit_code)), now)
            for r in rows
        ]


def not_stored_yet(rows: Sequence[PastDossierRow]) -> list[PastDossierRow]:
    """The rows whose code is not in the database (the import is idempotent by code)."""
    existing: set[str] = set()
    for part in chunks([r.code for r in rows]):
        existing.update(Dossier.objects.filter(code__in=part).values_list("code", flat=True))
    return [r for r in rows if r.code not in existing]


def import_dossiers_file(
    path: str | Path, *, progress: bool | None = None, batch_size: int = BATCH
) -> DossierImportResult:
    """Import a CSV/XLSX file of past dossiers; raise :class:`DossierFileError` (row-numbered,
    nothing stored) or :class:`motcua.tabular.TableFileError`."""
    with open_table(path) as (headers, rows):
        return import_dossier_table(headers, rows, progress=progress, batch_size=batch_size)


def import_dossier_table(
    headers: Sequence[str],
    rows: Iterable[Sequence],
    *,
    progress: bool | None = None,
    batch_size: int = BATCH,
) -> DossierImportResult:
    """Import rows (the line after ``headers`` is row 2) a batch at a time; see the module."""
    from tqdm import tqdm

    created = skipped = 0
    now = timezone.now()
    targets = Targets()
    numbered = enumerate(rows, start=2)
    with (
        closing(DiskCodeIndex()) as index,
        tqdm(
            unit=" dòng",
            desc="Nhập hồ sơ",
            file=sys.stderr,
            disable=(not progress) if progress is not None else None,
        ) as bar,
        transaction.atomic(),
    ):
        reader = DossierRowReader(headers, index)
        while batch := list(islice(numbered, batch_size)):
            valid = reader.read(batch)
            for error in targets.errors(valid):
                reader.add_error(error)
            bar.update(len(batch))
            if reader.error_count:
                continue  # nothing will be stored: read on only to report every error
            todo = not_stored_yet(valid)
            bulk_save(targets.build(todo, now))
            created += len(todo)
            skipped += len(valid) - len(todo)
        reader.finish()  # raises inside the transaction, which rolls every batch back
    if created:
        analyze(IMPORTED)
    return DossierImportResult(created=created, skipped=skipped)


def build(
    r: PastDossierRow, procedure: Procedure, calendar: WorkCalendar, now
) -> tuple[Dossier, list[Step]]:
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
