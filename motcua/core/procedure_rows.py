"""Rows of the procedure catalogue file (danh mục TTHC): header aliases, parsing, validation.

Pure Python, no Django import. The importer (``motcua.catalog.actions``) turns a file into
``list[dict[str, str]]`` and calls :func:`parse_rows`; any error aborts the whole import.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation

from motcua.core.errors import DomainError
from motcua.core.text import fold, nfc

REQUIRED_COLUMNS = (
    "ma_tthc",
    "ten_tthc",
    "linh_vuc",
    "cap_thuc_hien",
    "co_quan_thuc_hien",
    "thoi_han",
    "don_vi_thoi_han",
    "phi_le_phi",
    "muc_do_dvc",
    "phi_dia_gioi",
    "thanh_phan_ho_so",
)
OPTIONAL_COLUMNS = (
    "ghi_chu_phi",
    "ket_qua",
    "do_tin_cay",
    "ghi_chu",
    "nguon",
    "can_cu_phap_ly",
    "he_thong_cap_ket_qua",
)
ALL_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

# Other spellings seen in provincial catalogue files, after folding (see header_key).
HEADER_ALIASES = {
    "ma_thu_tuc": "ma_tthc",
    "ma_thu_tuc_hanh_chinh": "ma_tthc",
    "ma_so_tthc": "ma_tthc",
    "ten_thu_tuc": "ten_tthc",
    "ten_thu_tuc_hanh_chinh": "ten_tthc",
    "thoi_han_giai_quyet": "thoi_han",
    "phi_le_phi_vnd": "phi_le_phi",
    "phi": "phi_le_phi",
    "muc_do_dich_vu_cong": "muc_do_dvc",
    "muc_do_dich_vu_cong_truc_tuyen": "muc_do_dvc",
    "dvc_truc_tuyen": "muc_do_dvc",
    "tiep_nhan_phi_dia_gioi": "phi_dia_gioi",
    "khong_phu_thuoc_dia_gioi": "phi_dia_gioi",
    "thanh_phan": "thanh_phan_ho_so",
    "ket_qua_giai_quyet": "ket_qua",
    "he_thong_cap": "he_thong_cap_ket_qua",
    "phan_mem_cap_ket_qua": "he_thong_cap_ket_qua",
    "nguon_du_lieu": "nguon",
}

LEVELS = {"xa": "xa", "cap_xa": "xa", "nganh_doc": "nganh_doc", "co_quan_nganh_doc": "nganh_doc"}
DURATION_UNITS = {
    "ngay_lam_viec": "working_days",
    "gio_lam_viec": "working_hours",
    "ngay": "days",
    "ngay_lich": "days",
    "working_days": "working_days",
    "working_hours": "working_hours",
    "days": "days",
}
ONLINE_LEVELS = {
    "toan_trinh": "toan_trinh",
    "mot_phan": "mot_phan",
    "khong": "khong",
    "": "khong",
}
YES = {"1", "co", "x", "true", "yes"}
NO = {"0", "khong", "", "false", "no"}

CODE_RE = re.compile(r"^[1-3]\.\d{6}$")
MAX_DURATION = Decimal(3650)
MAX_FEE = 1_000_000_000


def header_key(header: str) -> str:
    """Canonical column name: "Mã TTHC" → "ma_tthc", "Phí, lệ phí" → "phi_le_phi"."""
    key = re.sub(r"[^a-z0-9]+", "_", fold(header or "")).strip("_")
    return HEADER_ALIASES.get(key, key)


def value_key(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", fold(value or "")).strip("_")


@dataclass(frozen=True)
class ProcedureRow:
    """One validated catalogue row (dữ liệu một thủ tục hành chính)."""

    code: str
    name: str
    field_name: str
    level: str
    agency: str
    duration: Decimal
    duration_unit: str
    fee: int
    online_level: str
    cross_border: bool
    components: tuple[str, ...]
    fee_note: str = ""
    result: str = ""
    verified: bool = False
    notes: str = ""
    source: str = ""
    legal_basis: str = ""
    # The national system that issues the result (e.g. the Ministry of Justice's civil-status
    # software for hộ tịch); empty when the commune issues it itself.
    result_system: str = ""
    extra: dict = field(default_factory=dict, compare=False)

    def content_hash(self) -> str:
        """Stable hash of the content, to know whether a re-import brings a new version."""
        data = asdict(self)
        data.pop("extra")
        if not data["result_system"]:  # rows without it hash as before the column existed
            data.pop("result_system")
        data["duration"] = str(self.duration.normalize())
        raw = json.dumps(data, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(raw.encode()).hexdigest()


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"dòng {self.row}" + (f", cột “{self.column}”" if self.column else "")
        return f"{where}: {self.message}"


class RowsFileError(DomainError, ValueError):
    """A file that cannot be imported; ``errors`` lists every problem found (nothing stored)."""

    what = "Tệp"
    default_code = "invalid_import_file"

    def __init__(self, errors: list[RowError], what: str | None = None):
        self.errors = errors
        shown = "\n".join(f"  - {e}" for e in errors[:50])
        more = f"\n  … và {len(errors) - 50} lỗi khác" if len(errors) > 50 else ""
        name = what or self.what
        super().__init__(f"{name} có {len(errors)} lỗi, chưa nhập gì:\n{shown}{more}")


class CatalogFileError(RowsFileError):
    what = "Tệp danh mục"
    default_code = "invalid_catalogue_file"


def normalise_headers(headers: list[str]) -> tuple[list[str], list[RowError]]:
    keys = [header_key(h) for h in headers]
    errors = [RowError(1, col, "thiếu cột bắt buộc") for col in REQUIRED_COLUMNS if col not in keys]
    seen: set[str] = set()
    for key, raw in zip(keys, headers, strict=True):
        if key in seen and key in ALL_COLUMNS:
            errors.append(RowError(1, raw, "cột bị lặp"))
        seen.add(key)
    return keys, errors


def parse_number(text: str) -> Decimal:
    """Parse "2", "0,5", "0.5" or "1.5" (decimal point or comma)."""
    return Decimal(text.strip().replace(",", "."))


def parse_fee(text: str) -> int:
    """Parse a VND amount: "50000", "50.000", "50 000"; 0 = free."""
    cleaned = re.sub(r"[\s.]", "", text.strip())
    if not cleaned.isdigit():
        raise ValueError
    return int(cleaned)


def parse_row(
    values: dict[str, str], row_number: int
) -> tuple[ProcedureRow | None, list[RowError]]:
    """Validate one data row (``row_number`` as the user sees it in the file, header = 1)."""
    errors: list[RowError] = []
    v = {k: nfc(str(values.get(k) or "")) for k in ALL_COLUMNS}

    def err(column: str, message: str) -> None:
        errors.append(RowError(row_number, column, message))

    for col in ("ma_tthc", "ten_tthc", "linh_vuc", "co_quan_thuc_hien"):
        if not v[col]:
            err(col, "không được để trống")
    if v["ma_tthc"] and not CODE_RE.match(v["ma_tthc"]):
        err("ma_tthc", f"mã “{v['ma_tthc']}” không đúng dạng mã TTHC quốc gia (ví dụ 1.001193)")

    level = LEVELS.get(value_key(v["cap_thuc_hien"]))
    if level is None:
        err("cap_thuc_hien", f"“{v['cap_thuc_hien']}” không hợp lệ (xa hoặc nganh_doc)")

    duration = None
    try:
        duration = parse_number(v["thoi_han"])
        if not duration.is_finite() or duration < 0 or duration > MAX_DURATION:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        err("thoi_han", f"“{v['thoi_han']}” không phải số từ 0 đến 3650")
        duration = None

    unit = DURATION_UNITS.get(value_key(v["don_vi_thoi_han"]))
    if unit is None:
        err(
            "don_vi_thoi_han",
            f"“{v['don_vi_thoi_han']}” không hợp lệ (ngay_lam_viec, gio_lam_viec hoặc ngay)",
        )

    fee = None
    try:
        fee = parse_fee(v["phi_le_phi"])
        if fee > MAX_FEE:
            raise ValueError
    except ValueError:
        err("phi_le_phi", f"“{v['phi_le_phi']}” không phải số tiền (đồng, số nguyên, 0 = miễn)")
        fee = None

    online = ONLINE_LEVELS.get(value_key(v["muc_do_dvc"]))
    if online is None:
        err("muc_do_dvc", f"“{v['muc_do_dvc']}” không hợp lệ (toan_trinh, mot_phan hoặc khong)")

    cross_key = value_key(v["phi_dia_gioi"])
    if cross_key not in YES | NO:
        err("phi_dia_gioi", f"“{v['phi_dia_gioi']}” không hợp lệ (0 hoặc 1)")

    components = tuple(nfc(c) for c in v["thanh_phan_ho_so"].split(";") if nfc(c))

    if errors:
        return None, errors
    extra = {k: str(values[k]) for k in values if k not in ALL_COLUMNS and values[k]}
    return (
        ProcedureRow(
            code=v["ma_tthc"],
            name=v["ten_tthc"],
            field_name=v["linh_vuc"],
            level=level,
            agency=v["co_quan_thuc_hien"],
            duration=duration,
            duration_unit=unit,
            fee=fee,
            online_level=online,
            cross_border=cross_key in YES,
            components=components,
            fee_note=v["ghi_chu_phi"],
            result=v["ket_qua"],
            verified=value_key(v["do_tin_cay"]) in {"xac_minh", "da_xac_minh", "verified"},
            notes=v["ghi_chu"],
            source=v["nguon"],
            legal_basis=v["can_cu_phap_ly"],
            result_system=v["he_thong_cap_ket_qua"],
            extra=extra,
        ),
        [],
    )


def parse_rows(headers: list[str], rows: list[list[str]]) -> list[ProcedureRow]:
    """Validate a whole file; raise :class:`CatalogFileError` listing every error."""
    keys, errors = normalise_headers(headers)
    if errors:
        raise CatalogFileError(errors)
    parsed: list[ProcedureRow] = []
    first_seen: dict[str, int] = {}
    for index, cells in enumerate(rows, start=2):
        if not any(str(c or "").strip() for c in cells):
            continue
        values = {k: str(c if c is not None else "") for k, c in zip(keys, cells, strict=False)}
        row, row_errors = parse_row(values, index)
        errors.extend(row_errors)
        code = nfc(values.get("ma_tthc", ""))
        if code and code in first_seen:
            errors.append(RowError(index, "ma_tthc", f"mã {code} trùng dòng {first_seen[code]}"))
        first_seen.setdefault(code, index)
        if row is not None:
            parsed.append(row)
    if not parsed and not errors:
        errors.append(RowError(2, "", "tệp không có dòng dữ liệu nào"))
    if errors:
        raise CatalogFileError(errors)
    return parsed
