"""Writes: a reconciliation's portal data, from the national portal's exports or looked up
through the connector (TraCuuHoSo), stored by one function (all rows or none)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.db import transaction

from motcua.core.errors import AccessError
from motcua.core.localtime import LOCAL_TZ
from motcua.core.periods import check_period
from motcua.core.procedure_rows import RowError
from motcua.core.reconcile import (
    LOOKUP_COLUMNS,
    PortalIndicatorRow,
    PortalRow,
    ReconcileFileError,
    lookup_rows,
    parse_indicator_rows,
    parse_portal_rows,
)
from motcua.dossiers.models import Dossier
from motcua.dvcqg.client import Connector
from motcua.dvcqg.lookup import look_up
from motcua.dvcqg.payloads import agency_code
from motcua.integrations.models import PortalDossierRow, PortalIndicator, ReconciliationImport
from motcua.reports.queries import local_bounds
from motcua.tabular import TableFileError, read_table
from motcua.units.access import READ_ONLY, check_view_unit, is_admin
from motcua.units.models import Unit

Source = ReconciliationImport.Source
LOOKUP_NAME = "Tra cứu từng hồ sơ trên Cổng DVCQG"


@dataclass(frozen=True)
class PortalData:
    """What the portal holds, read and validated before anything is stored: from its export
    files, or looked up dossier by dossier through the connector."""

    rows: list[PortalRow]
    columns: set[str]
    file_name: str
    file_sha256: str
    indicators: list[PortalIndicatorRow]
    indicators_file_name: str = ""
    indicators_sha256: str = ""
    source: str = Source.FILE


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _table(path: Path, what: str) -> tuple[list[str], list[list[str]]]:
    try:
        return read_table(path)
    except TableFileError as exc:
        raise ReconcileFileError([RowError(1, "", str(exc))], what) from exc


def read_indicators(
    indicators: str | Path | None, name: str = ""
) -> tuple[list[PortalIndicatorRow], str, str]:
    """The portal's indicator file, validated: its rows, its name and its SHA-256."""
    if indicators is None:
        return [], "", ""
    indicators = Path(indicators)
    found = parse_indicator_rows(*_table(indicators, "Tệp chỉ số của Cổng DVCQG"))
    return found, name or indicators.name, _sha256(indicators)


def read_portal_files(
    dossiers: str | Path,
    indicators: str | Path | None = None,
    *,
    dossiers_name: str = "",
    indicators_name: str = "",
) -> PortalData:
    """Read and validate the portal's per-dossier export and (optionally) its indicator file;
    raise :class:`ReconcileFileError` with row numbers. ``*_name``: the uploaded file's name."""
    dossiers = Path(dossiers)
    rows, columns = parse_portal_rows(*_table(dossiers, "Tệp hồ sơ của Cổng DVCQG"))
    found, ind_name, ind_hash = read_indicators(indicators, indicators_name)
    return PortalData(
        rows=rows,
        columns=columns,
        file_name=dossiers_name or dossiers.name,
        file_sha256=_sha256(dossiers),
        indicators=found,
        indicators_file_name=ind_name,
        indicators_sha256=ind_hash,
    )


def dossiers_to_look_up(unit: Unit, start: date, end: date) -> list[tuple[str, str]]:
    """``(our code, its code on the portal)`` of each dossier of ``unit`` received in the
    period, in the order received (the portal's code: its sync record's, else ours)."""
    lo, hi = local_bounds(start, end)
    rows = (
        Dossier.objects.filter(unit_id=unit.code, received_at__gte=lo, received_at__lt=hi)
        .exclude(code="")
        .order_by("received_at", "code")
        .values_list("code", "sync__portal_code")
    )
    return [(code, portal_code or code) for code, portal_code in rows.iterator(chunk_size=2000)]


def read_from_portal(
    connector: Connector,
    unit: Unit,
    start: date,
    end: date,
    indicators: str | Path | None = None,
    *,
    indicators_name: str = "",
    progress: Callable[[int, int], None] | None = None,
) -> PortalData:
    """Look up each of the unit's dossiers of the period on the portal (TraCuuHoSo) and read
    the answers as the rows of an export: a dossier the portal does not know has no row, so
    the comparison finds it "chưa đồng bộ lên Cổng". Raises the connector's errors, and
    :class:`ReconcileFileError` when an answer cannot be read (nothing stored)."""
    found, ind_name, ind_hash = read_indicators(indicators, indicators_name)
    wanted = dossiers_to_look_up(unit, start, end)
    ours = {portal_code: code for code, portal_code in wanted}
    answers = look_up(connector, agency_code(unit.code), [p for _, p in wanted], progress)
    known = [(ours[portal_code], answer) for portal_code, answer in answers if answer is not None]
    evidence = json.dumps(answers, ensure_ascii=False, sort_keys=True, default=str)
    return PortalData(
        rows=lookup_rows(known),
        columns=set(LOOKUP_COLUMNS),
        file_name=LOOKUP_NAME,
        file_sha256=hashlib.sha256(evidence.encode()).hexdigest(),
        indicators=found,
        indicators_file_name=ind_name,
        indicators_sha256=ind_hash,
        source=Source.PORTAL,
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
    unit: Unit, start: date, end: date, files: PortalData, uploaded_by=None
) -> ReconciliationImport:
    """Store the portal's validated data as one import, whichever its source (one
    transaction; the caller checked access)."""
    check_period(start, end)
    imp = ReconciliationImport.objects.create(
        unit=unit,
        source=files.source,
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


def import_from_portal(
    user,
    unit: Unit,
    start: date,
    end: date,
    connector: Connector,
    indicators: str | Path | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> ReconciliationImport:
    """Check access, look the period's dossiers up on the portal, then store the answers
    as an import (nothing on any error). The calls run before the transaction opens."""
    if user is not None:
        check_import_reconciliation(user, unit)
    check_period(start, end)
    data = read_from_portal(connector, unit, start, end, indicators, progress=progress)
    return do_import_reconciliation(unit, start, end, data, uploaded_by=user)
