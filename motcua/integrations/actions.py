"""Writes: import the national portal's exports for a reconciliation (all rows or none)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.db import transaction

from motcua.core.errors import AccessError
from motcua.core.localtime import LOCAL_TZ
from motcua.core.periods import check_period
from motcua.core.procedure_rows import RowError
from motcua.core.reconcile import (
    PortalIndicatorRow,
    PortalRow,
    ReconcileFileError,
    parse_indicator_rows,
    parse_portal_rows,
)
from motcua.integrations.models import PortalDossierRow, PortalIndicator, ReconciliationImport
from motcua.tabular import TableFileError, read_table
from motcua.units.access import READ_ONLY, check_view_unit, is_admin
from motcua.units.models import Unit


@dataclass(frozen=True)
class PortalFiles:
    """The files as read and validated, before anything is stored."""

    rows: list[PortalRow]
    columns: set[str]
    file_name: str
    file_sha256: str
    indicators: list[PortalIndicatorRow]
    indicators_file_name: str = ""
    indicators_sha256: str = ""


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _table(path: Path, what: str) -> tuple[list[str], list[list[str]]]:
    try:
        return read_table(path)
    except TableFileError as exc:
        raise ReconcileFileError([RowError(1, "", str(exc))], what) from exc


def read_portal_files(
    dossiers: str | Path,
    indicators: str | Path | None = None,
    *,
    dossiers_name: str = "",
    indicators_name: str = "",
) -> PortalFiles:
    """Read and validate the portal's per-dossier export and (optionally) its indicator file;
    raise :class:`ReconcileFileError` with row numbers. ``*_name``: the uploaded file's name."""
    dossiers = Path(dossiers)
    rows, columns = parse_portal_rows(*_table(dossiers, "Tệp hồ sơ của Cổng DVCQG"))
    found: list[PortalIndicatorRow] = []
    ind_name = ind_hash = ""
    if indicators is not None:
        indicators = Path(indicators)
        found = parse_indicator_rows(*_table(indicators, "Tệp chỉ số của Cổng DVCQG"))
        ind_name, ind_hash = indicators_name or indicators.name, _sha256(indicators)
    return PortalFiles(
        rows=rows,
        columns=columns,
        file_name=dossiers_name or dossiers.name,
        file_sha256=_sha256(dossiers),
        indicators=found,
        indicators_file_name=ind_name,
        indicators_sha256=ind_hash,
    )


def check_import_reconciliation(user, unit: Unit) -> None:
    """Officials of the unit (and administrators) import; a province overseer only reads."""
    check_view_unit(user, unit)
    if not (is_admin(user) or user.unit_id == unit.code):
        raise AccessError(READ_ONLY, "read_only")


def _aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=LOCAL_TZ) if moment is not None else None


@transaction.atomic
def do_import_reconciliation(
    unit: Unit, start: date, end: date, files: PortalFiles, uploaded_by=None
) -> ReconciliationImport:
    """Store validated files as one import (one transaction; the caller checked access)."""
    check_period(start, end)
    imp = ReconciliationImport.objects.create(
        unit=unit,
        period_start=start,
        period_end=end,
        uploaded_by=uploaded_by,
        file_name=files.file_name[:255],
        file_sha256=files.file_sha256,
        indicators_file_name=files.indicators_file_name[:255],
        indicators_sha256=files.indicators_sha256,
        columns=sorted(files.columns),
        row_count=len(files.rows),
    )
    PortalDossierRow.objects.bulk_create(
        [
            PortalDossierRow(
                reconciliation=imp,
                unit=unit,
                row_number=r.row,
                code=r.code,
                procedure_code=r.procedure_code,
                received_at=_aware(r.received_at),
                due_at=_aware(r.due_at),
                ended_at=_aware(r.ended_at),
                status=r.status,
                digitised=r.digitised,
                channel=r.channel,
            )
            for r in files.rows
        ],
        batch_size=2000,
    )
    PortalIndicator.objects.bulk_create(
        [
            PortalIndicator(
                reconciliation=imp,
                row_number=i.row,
                name=i.name[:300],
                code=i.code[:40],
                key=i.key,
                value=i.value,
            )
            for i in files.indicators
        ]
    )
    return imp


def import_reconciliation(
    user,
    unit: Unit,
    start: date,
    end: date,
    dossiers: str | Path,
    indicators: str | Path | None = None,
    **names: str,
) -> ReconciliationImport:
    """Check access, read and validate the files, then store them (nothing on any error)."""
    if user is not None:
        check_import_reconciliation(user, unit)
    check_period(start, end)
    files = read_portal_files(dossiers, indicators, **names)
    return do_import_reconciliation(unit, start, end, files, uploaded_by=user)
