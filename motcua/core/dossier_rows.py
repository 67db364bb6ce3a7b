"""Rows of a past-dossier file (from the software a commune used before): parse and validate.

Pure Python, no Django import. Dates are ISO 8601 local time (Asia/Ho_Chi_Minh).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

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


class DossierFileError(RowsFileError):
    what = "Tệp hồ sơ"


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


def _moment(text: str) -> datetime:
    value = datetime.fromisoformat(text.strip().replace(" ", "T", 1))
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError
    return value


def parse_dossier_rows(headers: list[str], rows: list[list[str]]) -> list[PastDossierRow]:
    """Validate every row; raise :class:`DossierFileError` listing every error found."""
    keys = [header_key(h) for h in headers]
    errors = [RowError(1, c, "thiếu cột bắt buộc") for c in REQUIRED if c not in keys]
    if errors:
        raise DossierFileError(errors)
    parsed: list[PastDossierRow] = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(rows, start=2):
        if not any(str(c or "").strip() for c in cells):
            continue
        v = {k: nfc(str(c if c is not None else "")) for k, c in zip(keys, cells, strict=False)}
        row_errors: list[RowError] = []

        def err(column: str, message: str, _errors=row_errors, _n=number) -> None:
            _errors.append(RowError(_n, column, message))

        code = v.get("ma_ho_so", "")
        if not code or len(code) > 60:
            err("ma_ho_so", "trống hoặc dài quá 60 ký tự")
        elif code in seen:
            err("ma_ho_so", f"mã {code} trùng dòng {seen[code]}")
        seen.setdefault(code, number)
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
            errors.extend(row_errors)
            continue
        parsed.append(
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
            )
        )
    if not parsed and not errors:
        errors.append(RowError(2, "", "tệp không có dòng dữ liệu nào"))
    if errors:
        raise DossierFileError(errors)
    return parsed
