"""Reads: a reconciliation's differences, per dossier and per indicator, and its export rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from motcua.core import reconcile as rc
from motcua.core.classify import TIMELINESS_LABELS, Timeliness
from motcua.core.dvcqg import STATUS_LABELS, portal_status
from motcua.core.formatting import number_vi, percent_vi
from motcua.core.identity import mask_citizen_id
from motcua.core.lifecycle import DVCQG_STATUS, State
from motcua.core.localtime import LOCAL_TZ
from motcua.core.statistics import rate
from motcua.dossiers.models import DVCQG_CHANNEL, Dossier
from motcua.integrations.models import ReconciliationImport
from motcua.reports.cells import exempt_fields
from motcua.reports.queries import Scope, local_bounds, report
from motcua.tabular import safe_row, write_table
from motcua.units.access import visible_units

_OUR_COLUMNS = (
    "pk",
    "code",
    "procedure__code",
    "state",
    "received_at",
    "due_at",
    "ended_at",
    "channel",
    "procedure_version__field_id",
    "components_digitised",
    "result_digitised",
    "supplement_requests",
    "pending_supplement_since",
    "apologized_at",
    "applicant_id_number",
)


@dataclass
class Reconciliation:
    """What the page, the export and the CLI show of one import."""

    imp: ReconciliationImport
    differences: list[rc.Difference]
    by_reason: dict[rc.Reason, int]
    indicators: list[rc.IndicatorComparison]
    ours_in_period: int
    portal_in_period: int
    portal_outside_period: int

    @property
    def summary(self) -> list[tuple[str, str, int]]:
        return [(r.value, rc.REASON_LABELS[r], n) for r, n in self.by_reason.items()]


def imports_for(user, unit_code: str) -> QuerySet[ReconciliationImport]:
    return ReconciliationImport.objects.filter(
        unit_id=unit_code, unit__in=visible_units(user)
    ).select_related("uploaded_by")


def _local(moment: datetime | None) -> datetime | None:
    return moment.astimezone(LOCAL_TZ).replace(tzinfo=None) if moment is not None else None


def file_status(state: State) -> str | None:
    """Our state under the portal's status name, as its exports write it."""
    return DVCQG_STATUS.get(state)


def sent_status(state: State) -> str | None:
    """Our state under the name of the status code the connector sends for it (a received
    dossier: every one reconciliation reads), as the portal answers TraCuuHoSo."""
    return STATUS_LABELS[portal_status(state, received=True)]


STATUS_OF = {
    ReconciliationImport.Source.FILE: file_status,
    ReconciliationImport.Source.PORTAL: sent_status,
}


def _ours(row: tuple, exempt: frozenset[int], status_of) -> rc.OurDossier:
    (
        pk,
        code,
        procedure_code,
        state,
        received,
        due,
        ended,
        channel,
        field_id,
        components,
        result,
        requests,
        pending,
        apologized,
        id_number,
    ) = row
    return rc.OurDossier(
        ref=str(pk),
        code=code,
        procedure_code=procedure_code,
        portal_status=status_of(State(state)),
        received_at=_local(received),
        due_at=_local(due),
        ended_at=_local(ended),
        channel=DVCQG_CHANNEL.get(channel, 1),
        digitisable=field_id not in exempt,
        digitised=bool(components and result),
        supplement_requests=requests,
        pending_supplement_since=_local(pending),
        apologized=apologized is not None,
        applicant_id=mask_citizen_id(id_number) if id_number else "",
    )


def our_dossiers(imp: ReconciliationImport, codes: list[str]) -> list[rc.OurDossier]:
    """Our received dossiers of the import's unit: those received in its period, and any
    other with a code the portal's file has."""
    lo, hi = local_bounds(imp.period_start, imp.period_end)
    base = Dossier.objects.filter(unit_id=imp.unit_id, received_at__isnull=False)
    in_period = base.filter(received_at__gte=lo, received_at__lt=hi)
    wanted = sorted({c for code in codes for c in (code, code.upper())})
    exempt = exempt_fields()
    outside = base.exclude(received_at__gte=lo, received_at__lt=hi)
    # the portal's codes in chunks: SQLite limits the parameters of one query
    querysets = [in_period] + [
        outside.filter(code__in=wanted[i : i + 900]) for i in range(0, len(wanted), 900)
    ]
    status_of = STATUS_OF[imp.source]
    found: dict[str, rc.OurDossier] = {}
    for qs in querysets:
        for row in qs.values_list(*_OUR_COLUMNS).iterator(chunk_size=2000):
            if row[1]:
                found[row[0].hex] = _ours(row, exempt, status_of)
    return list(found.values())


def portal_rows(imp: ReconciliationImport) -> list[rc.PortalRow]:
    return [
        rc.PortalRow(
            row=r.row_number,
            code=r.code,
            procedure_code=r.procedure_code,
            received_at=_local(r.received_at),
            due_at=_local(r.due_at),
            ended_at=_local(r.ended_at),
            status=r.status,
            digitised=r.digitised,
            channel=r.channel,
        )
        for r in imp.rows.all()
    ]


def reconciliation(imp: ReconciliationImport) -> Reconciliation:
    """Compare the import with our records as they are now."""
    start, end = imp.period_start, imp.period_end
    portal = portal_rows(imp)
    ours = our_dossiers(imp, [r.code for r in portal])
    present = set(imp.columns)
    differences = rc.compare(ours, portal, start, end, present)
    portal_codes = {r.code.upper() for r in portal}
    mine_in = [d for d in ours if rc.in_period(d.received_at, start, end)]
    synced = sum(1 for d in mine_in if d.code.upper() in portal_codes)
    figures = report(Scope((imp.unit_id,)), start, end, "cohort").as_json()
    figures["sync_rate"] = rate(synced, len(mine_in))
    portal_in = sum(1 for r in portal if rc.in_period(r.received_at, start, end))
    indicators = [
        rc.PortalIndicatorRow(i.row_number, i.name, i.code, i.key, i.value)
        for i in imp.indicators.all()
    ]
    return Reconciliation(
        imp=imp,
        differences=differences,
        by_reason=rc.reason_counts(differences),
        indicators=rc.compare_indicators(figures, indicators, differences),
        ours_in_period=len(mine_in),
        portal_in_period=portal_in,
        portal_outside_period=len(portal) - portal_in,
    )


# --- display and export ----------------------------------------------------------------------

DIFFERENCE_COLUMNS = (
    "STT",
    "Mã hồ sơ",
    "Mã TTHC",
    "Số định danh chủ hồ sơ",
    "Lý do",
    "Trạng thái (phần mềm)",
    "Trạng thái (Cổng DVCQG)",
    "Ngày tiếp nhận (phần mềm)",
    "Ngày tiếp nhận (Cổng DVCQG)",
    "Hẹn trả (phần mềm)",
    "Hẹn trả (Cổng DVCQG)",
    "Kết thúc xử lý (phần mềm)",
    "Kết thúc xử lý (Cổng DVCQG)",
    "Kết quả thời hạn (phần mềm)",
    "Kết quả thời hạn (Cổng DVCQG)",
    "Số hoá (phần mềm)",
    "Số hoá (Cổng DVCQG)",
    "Kênh (phần mềm)",
    "Kênh (Cổng DVCQG)",
)
INDICATOR_COLUMNS = (
    "Chỉ số",
    "Tên trên Cổng DVCQG",
    "Phần mềm Một cửa",
    "Cổng DVCQG",
    "Chênh lệch (Cổng − phần mềm)",
    "Số hồ sơ giải thích chênh lệch",
)


def _when(moment: datetime | None) -> str:
    return f"{moment:%d/%m/%Y %H:%M}" if moment is not None else ""


def _class(value: Timeliness | None) -> str:
    return TIMELINESS_LABELS[value] if value is not None else ""


def _yes(value: bool | None) -> str:
    return "" if value is None else ("Có" if value else "Không")


def difference_row(index: int, d: rc.Difference) -> list[str]:
    o, p = d.ours, d.portal
    return [
        str(index),
        d.code,
        (o.procedure_code if o else "") or (p.procedure_code if p else ""),
        o.applicant_id if o else "",
        "; ".join(d.labels),
        (o.portal_status or "—") if o else "",
        p.status if p else "",
        _when(o.received_at) if o else "",
        _when(p.received_at) if p else "",
        _when(o.due_at) if o else "",
        _when(p.due_at) if p else "",
        _when(o.ended_at) if o else "",
        _when(p.ended_at) if p else "",
        _class(o.timeliness) if o else "",
        _class(rc.portal_timeliness(p)) if p else "",
        (_yes(o.digitised) if o.digitisable else "Không thuộc diện số hoá") if o else "",
        _yes(p.digitised) if p else "",
        rc.CHANNEL_LABELS.get(o.channel, "") if o else "",
        rc.CHANNEL_LABELS.get(p.channel, "") if p and p.channel else "",
    ]


def number_text(value: float | int | None, key: str) -> str:

    if value is None:
        return ""
    if rc.is_rate(key):
        return percent_vi(value)
    return number_vi(value, 0 if float(value).is_integer() else 1)


def indicator_row(i: rc.IndicatorComparison) -> list[str]:
    diff = ""
    if i.difference is not None:
        sign = "+" if i.difference > 0 else ""
        diff = sign + number_text(i.difference, i.key)
    return [
        i.label,
        i.portal_name,
        number_text(i.ours, i.key),
        number_text(i.portal, i.key),
        diff,
        str(i.explaining) if i.differs else "",
    ]


def export(rec: Reconciliation, path) -> None:
    """Write the differing dossiers to CSV, or to XLSX with two more sheets: the summary by
    reason and the indicators."""
    from pathlib import Path

    path = Path(path)
    rows = (difference_row(i, d) for i, d in enumerate(rec.differences, start=1))
    write_table(path, DIFFERENCE_COLUMNS, rows, sheet_title="Hồ sơ khác nhau")
    if path.suffix.lower() != ".xlsx":
        return
    from openpyxl import load_workbook
    from openpyxl.styles import Font

    workbook = load_workbook(path)
    sheets = (
        (
            "Tổng hợp lý do",
            ("Lý do", "Số hồ sơ"),
            [(label, count) for _, label, count in rec.summary],
        ),
        ("Chỉ số", INDICATOR_COLUMNS, [indicator_row(i) for i in rec.indicators]),
    )
    for title, headers, body in sheets:
        sheet = workbook.create_sheet(title)
        sheet.append(list(headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in body:
            sheet.append(safe_row(row))
    workbook.save(path)
