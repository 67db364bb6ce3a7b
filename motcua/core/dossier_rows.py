"""Rows of a past-dossier file (from the software a commune used before): parse and validate.

Pure Python, no Django import. Dates are ISO 8601 local time (Asia/Ho_Chi_Minh).

A file is read in batches (:class:`DossierRowReader`), so an import of a million rows holds one
batch at a time; only the codes already met cross batches, in a :class:`CodeIndex` the caller
chooses (a dict here, a file on disk for the importer). :func:`parse_dossier_rows` reads a whole
file at once; both give the same rows and the same errors.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from motcua.core.procedure_rows import RowError, RowsFileError, header_key
from motcua.core.text import nfc

REQUIRED = ("ma_ho_so", "ma_tthc", "ma_don_vi", "kenh", "ngay_tiep_nhan", "trang_thai")
OPTIONAL = (
    "han_tra_ket_qua",
    "ngay_co_ket_qua",
    "ngay_tra_ket_qua",
    "da_so_hoa",
    "ket_qua_da_so_hoa",
)
CHANNELS = {
    "truc_tuyen": "online",
    "truc_tuyen_ho_tro": "online_assisted",
    "truc_tiep": "direct",
    "buu_chinh": "post",
}
STATES = {
    "dang_xu_ly": "in_review",
    "da_giai_quyet": "done",
    "da_tra": "returned",
    "tu_choi": "refused",
    "rut": "withdrawn",
}
MIN_YEAR, MAX_YEAR = 1990, 2100
MAX_CODE = 60
# Errors kept to show (the message lists 50); the others are only counted, so that a file of
# a million bad rows does not fill memory.
KEPT_ERRORS = 1000


class DossierFileError(RowsFileError):
    """``errors`` holds the first :data:`KEPT_ERRORS` errors in row order; ``total`` counts
    them all."""

    what = "Tệp hồ sơ"

    def __init__(self, errors: list[RowError], what: str | None = None, *, total: int = 0):
        super().__init__(errors, what)
        self.total = max(total, len(errors))
        if self.total > len(errors):
            # RowsFileError counts the list it is given; say how many the whole file has
            shown = "\n".join(f"  - {e}" for e in errors[:50])
            self.args = (
                f"{what or self.what} có {self.total} lỗi, chưa nhập gì:\n{shown}"
                f"\n  … và {self.total - len(errors[:50])} lỗi khác",
            )


@dataclass(frozen=True)
class PastDossierRow:
    row: int
    code: str
    procedure_code: str
    unit_code: str
    channel: str
    received_at: datetime
    due_at: datetime | None
    resolved_at: datetime | None
    returned_at: datetime | None
    state: str
    digitised: bool
    result_digitised: bool


class CodeIndex(Protocol):
    """The dossier codes met so far in a file, with the row where each first appeared."""

    def first_rows(self, codes: Sequence[tuple[str, int]]) -> dict[int, int]:
        """Record each ``(code, row)`` in order; return ``{row: first row}`` for the rows whose
        code was met before (earlier in ``codes`` or in an earlier call). A code keeps the row
        of its first appearance."""
        ...


class MemoryCodeIndex:
    """A :class:`CodeIndex` in a dict (about 140 bytes a code)."""

    def __init__(self) -> None:
        self.first: dict[str, int] = {}

    def first_rows(self, codes: Sequence[tuple[str, int]]) -> dict[int, int]:
        again = {}
        for code, row in codes:
            first = self.first.setdefault(code, row)
            if first != row:
                again[row] = first
        return again


def _moment(text: str) -> datetime:
    value = datetime.fromisoformat(text.strip().replace(" ", "T", 1))
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError
    return value


class DossierRowReader:
    """Validates a file's rows batch by batch; collects every error with its row number.

    ``read`` returns the valid rows of a batch (a row with any error is left out); once the
    file is read, ``finish`` raises :class:`DossierFileError` if any row had an error (the
    importer's "all rows or none"). Checks that need the database (unknown unit, unknown
    procedure) are added by the caller with :meth:`add_error`.
    """

    def __init__(self, headers: Sequence[str], index: CodeIndex | None = None):
        self.keys = [header_key(h) for h in headers]
        missing = [RowError(1, c, "thiếu cột bắt buộc") for c in REQUIRED if c not in self.keys]
        if missing:
            raise DossierFileError(missing)
        self.index: CodeIndex = index if index is not None else MemoryCodeIndex()
        self.errors: list[RowError] = []
        self.error_count = 0
        self.valid_count = 0

    def add_error(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < KEPT_ERRORS:
            self.errors.append(error)

    def read(self, numbered_rows: Iterable[tuple[int, Sequence]]) -> list[PastDossierRow]:
        """Validate ``(row number, cells)`` pairs; return the valid rows."""
        checked = []
        for number, cells in numbered_rows:
            if not any(str(c or "").strip() for c in cells):
                continue
            checked.append(self._check(number, cells))
        codes = [(code, number) for number, code, _, _ in checked if code]
        repeated = self.index.first_rows(codes)
        parsed: list[PastDossierRow] = []
        for number, code, row_errors, row in checked:
            if number in repeated:
                # first of the row's errors, where the code's other checks would put it
                row_errors.insert(
                    0, RowError(number, "ma_ho_so", f"mã {code} trùng dòng {repeated[number]}")
                )
            if row_errors:
                for error in row_errors:
                    self.add_error(error)
            elif row is not None:
                parsed.append(row)
        self.valid_count += len(parsed)
        return parsed

    def finish(self) -> None:
        """Raise :class:`DossierFileError` if any row had an error, or if there was no row."""
        if not self.valid_count and not self.error_count:
            self.add_error(RowError(2, "", "tệp không có dòng dữ liệu nào"))
        if self.error_count:
            # stable: a row's own errors stay in column order, before the caller's
            self.errors.sort(key=lambda e: e.row)
            raise DossierFileError(self.errors, total=self.error_count)

    def _check(
        self, number: int, cells: Sequence
    ) -> tuple[int, str, list[RowError], PastDossierRow | None]:
        """``(number, code if well-formed else "", errors, row if no error)`` of one row; the
        duplicate check is left to :meth:`read`, which sees the batch's codes together."""
        pairs = zip(self.keys, cells, strict=False)
        v = {k: nfc(str(c if c is not None else "")) for k, c in pairs}
        row_errors: list[RowError] = []

        def err(column: str, message: str) -> None:
            row_errors.append(RowError(number, column, message))

        code = v.get("ma_ho_so", "")
        if not code or len(code) > MAX_CODE:
            err("ma_ho_so", f"trống hoặc dài quá {MAX_CODE} ký tự")
            code = ""
        for column in ("ma_tthc", "ma_don_vi"):
            if not v.get(column):
                err(column, "không được để trống")
        channel = CHANNELS.get(v.get("kenh", ""))
        if channel is None:
            err("kenh", f"“{v.get('kenh', '')}” không hợp lệ ({', '.join(CHANNELS)})")
        state = STATES.get(v.get("trang_thai", ""))
        if state is None:
            err("trang_thai", f"“{v.get('trang_thai', '')}” không hợp lệ ({', '.join(STATES)})")
        moments: dict[str, datetime | None] = {}
        for column in ("ngay_tiep_nhan", "han_tra_ket_qua", "ngay_co_ket_qua", "ngay_tra_ket_qua"):
            text = v.get(column, "")
            if not text:
                moments[column] = None
                continue
            try:
                moments[column] = _moment(text)
            except ValueError:
                err(column, f"“{text}” không phải ngày giờ ISO 8601 trong khoảng 1990-2100")
                moments[column] = None
        received = moments["ngay_tiep_nhan"]
        if received is None and not any(e.column == "ngay_tiep_nhan" for e in row_errors):
            err("ngay_tiep_nhan", "không được để trống")
        for column in ("han_tra_ket_qua", "ngay_co_ket_qua", "ngay_tra_ket_qua"):
            if received and moments[column] and moments[column] < received:
                err(column, "trước ngày tiếp nhận")
        if state in ("done", "returned") and not (
            moments["ngay_co_ket_qua"] or moments["ngay_tra_ket_qua"]
        ):
            err("ngay_co_ket_qua", "hồ sơ đã giải quyết phải có ngày có kết quả")
        if state == "returned" and not moments["ngay_tra_ket_qua"]:
            err("ngay_tra_ket_qua", "hồ sơ đã trả phải có ngày trả kết quả")
        if state == "in_review" and (moments["ngay_co_ket_qua"] or moments["ngay_tra_ket_qua"]):
            err("trang_thai", "hồ sơ đang xử lý không được có ngày có kết quả/ngày trả")
        flags = {}
        for column in ("da_so_hoa", "ket_qua_da_so_hoa"):
            text = v.get(column, "") or "0"
            if text not in ("0", "1"):
                err(column, f"“{text}” không hợp lệ (0 hoặc 1)")
            flags[column] = text == "1"
        if row_errors:
            return number, code, row_errors, None
        return (
            number,
            code,
            row_errors,
            PastDossierRow(
                row=number,
                code=code,
                procedure_code=v["ma_tthc"],
                unit_code=v["ma_don_vi"],
                channel=channel,
                received_at=received,
                due_at=moments["han_tra_ket_qua"],
                resolved_at=moments["ngay_co_ket_qua"],
                returned_at=moments["ngay_tra_ket_qua"],
                state=state,
                digitised=flags["da_so_hoa"],
                result_digitised=flags["ket_qua_da_so_hoa"],
            ),
        )


def parse_dossier_rows(headers: list[str], rows: Iterable[Sequence]) -> list[PastDossierRow]:
    """Validate every row of a whole file; raise :class:`DossierFileError` listing every error
    found (the first :data:`KEPT_ERRORS`, and how many in all)."""
    reader = DossierRowReader(headers)
    parsed = reader.read(enumerate(rows, start=2))
    reader.finish()
    return parsed
