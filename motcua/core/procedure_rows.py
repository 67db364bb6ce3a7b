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
from motcua.core.fees import (
    EXEMPTION_LABELS,
    FREE,
    KIND_LABELS,
    Basis,
    CollectAt,
    Exemption,
    FeeError,
    FeeKind,
    FeeRule,
    Tier,
    check_tiers,
    headline,
    rule_from_dict,
    rule_to_dict,
)
from motcua.core.formatting import number_vi
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
# How the fee is computed (docs/catalogue.md "Phí, lệ phí"); all optional: a file without
# them means what it always meant, ``phi_le_phi`` đồng per case (0: free).
FEE_COLUMNS = (
    "loai_phi",
    "cach_tinh_phi",
    "don_vi_tinh_phi",
    "bac_phi_theo_trang",
    "phi_toi_da_moi_ban",
    "phi_truc_tuyen",
    "doi_tuong_mien_giam",
    "can_cu_phi",
    "ten_phi",
    "thoi_diem_thu_phi",
)
OPTIONAL_COLUMNS += FEE_COLUMNS
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
    "loai_phi_le_phi": "loai_phi",
    "cach_tinh_phi_le_phi": "cach_tinh_phi",
    "cach_tinh": "cach_tinh_phi",
    "don_vi_tinh": "don_vi_tinh_phi",
    "bac_phi": "bac_phi_theo_trang",
    "muc_thu_theo_trang": "bac_phi_theo_trang",
    "muc_toi_da_moi_ban": "phi_toi_da_moi_ban",
    "muc_thu_toi_da_moi_ban": "phi_toi_da_moi_ban",
    "phi_toi_da": "phi_toi_da_moi_ban",
    "phi_nop_truc_tuyen": "phi_truc_tuyen",
    "ty_le_thu_truc_tuyen": "phi_truc_tuyen",
    "muc_thu_truc_tuyen": "phi_truc_tuyen",
    "doi_tuong_mien_giam_phi": "doi_tuong_mien_giam",
    "doi_tuong_duoc_mien_giam": "doi_tuong_mien_giam",
    "mien_giam": "doi_tuong_mien_giam",
    "can_cu_thu_phi": "can_cu_phi",
    "can_cu_phap_ly_phi": "can_cu_phi",
    "ten_phi_le_phi": "ten_phi",
    "thoi_diem_nop_phi": "thoi_diem_thu_phi",
    "thu_phi_khi": "thoi_diem_thu_phi",
    "nop_phi_khi": "thoi_diem_thu_phi",
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
    # How the fee is computed (motcua.core.fees.rule_to_dict); {}: ``fee`` đồng per case.
    fee_rule: dict = field(default_factory=dict, hash=False)
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def rule(self) -> FeeRule:
        return rule_for(self.fee, self.fee_rule)

    def content_hash(self) -> str:
        """Stable hash of the content, to know whether a re-import brings a new version."""
        data = asdict(self)
        data.pop("extra")
        if not data["result_system"]:  # rows without it hash as before the column existed
            data.pop("result_system")
        # a rule that says no more than the amount per case hashes as before the fee columns
        data["fee_rule"] = rule_to_dict(self.rule)
        if self.rule == per_case(self.fee):
            data.pop("fee_rule")
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


def per_case(fee: int) -> FeeRule:
    """What a row without fee columns always meant: ``fee`` đồng per case, 0: free."""
    return FREE if not fee else FeeRule(basis=Basis.PER_CASE, price=fee)


def rule_for(fee: int, stored: dict | None) -> FeeRule:
    """The fee rule of a row or a version: the stored one, else the amount per case."""
    return rule_from_dict(stored) if stored else per_case(fee)


KINDS = {"phi": FeeKind.FEE, "le_phi": FeeKind.CHARGE}
COLLECT_WORDS = {
    "khi_tiep_nhan": CollectAt.RECEPTION,
    "tiep_nhan": CollectAt.RECEPTION,
    "khi_tiep_nhan_ho_so": CollectAt.RECEPTION,
    "khi_tra_ket_qua": CollectAt.RETURN,
    "tra_ket_qua": CollectAt.RETURN,
}
BASES = {
    "mien": Basis.FREE,
    "mien_phi": Basis.FREE,
    "mien_phi_le_phi": Basis.FREE,
    "khong_thu": Basis.FREE,
    "theo_ho_so": Basis.PER_CASE,
    "ho_so": Basis.PER_CASE,
    "theo_truong_hop": Basis.PER_CASE,
    "theo_ban": Basis.PER_COPY,
    "ban": Basis.PER_COPY,
    "theo_trang": Basis.PER_PAGE,
    "trang": Basis.PER_PAGE,
    "theo_don_vi": Basis.PER_UNIT,
    "don_vi": Basis.PER_UNIT,
}
BASIS_WORDS = {
    Basis.FREE: "miễn",
    Basis.PER_CASE: "theo hồ sơ",
    Basis.PER_COPY: "theo bản",
    Basis.PER_PAGE: "theo trang",
    Basis.PER_UNIT: "theo đơn vị",
}
# Short names people write for the categories of EXEMPTION_LABELS (besides the code and the
# full label).
EXEMPTION_SHORT = {
    "nguoi_co_cong": "người có công",
    "ho_ngheo": "hộ nghèo",
    "ho_can_ngheo": "hộ cận nghèo",
    "nguoi_khuyet_tat": "người khuyết tật",
    "tre_em": "trẻ em",
    "nguoi_cao_tuoi": "người cao tuổi",
    "dan_toc_thieu_so": "người dân tộc thiểu số",
}
EXEMPTION_KEYS = {
    key: code
    for code, label in EXEMPTION_LABELS.items()
    for key in (code, value_key(label), value_key(EXEMPTION_SHORT.get(code, label)))
}
TIER_RE = re.compile(r"^(\d+)\s*(?:[-–]\s*(\d*))?\s*:\s*(.+)$")
PERCENT_RE = re.compile(r"^(\d{1,3})\s*%?$")
EXEMPTION_RE = re.compile(r"^(.*?)\s*(?:(\d{1,3})\s*%)?$")


def parse_tiers(text: str) -> tuple[Tier, ...]:
    """ "1-2: 2000; 3-: 1000" → tiers (a page range, then its price per page)."""
    tiers = []
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        match = TIER_RE.match(part)
        if match is None:
            raise FeeError(f"bậc “{part}” không đúng dạng “trang đầu-trang cuối: mức thu”")
        first, last, price = match.groups()
        if last is None:
            last = first
        try:
            amount = parse_fee(price)
        except ValueError:
            raise FeeError(f"bậc “{part}”: “{price}” không phải số tiền") from None
        tiers.append(Tier(int(first), int(last) if last else None, amount))
    return tuple(tiers)


def parse_percent(text: str) -> int:
    match = PERCENT_RE.match(text.strip())
    if match is None or int(match.group(1)) > 100:
        raise ValueError
    return int(match.group(1))


def parse_exemptions(text: str) -> tuple[Exemption, ...]:
    """ "người có công: <căn cứ>; hộ nghèo 50%: <căn cứ>" → exemptions (100 % unless a
    percentage follows the category, written as its code, its label or its short name)."""
    out: list[Exemption] = []
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        who, _, basis = part.partition(":")
        match = EXEMPTION_RE.match(who.strip())
        label, percent = match.group(1), int(match.group(2) or 100)
        code = EXEMPTION_KEYS.get(value_key(label))
        if code is None:
            known = ", ".join(EXEMPTION_SHORT.values())
            raise FeeError(f"không có đối tượng miễn, giảm “{label}” (dùng: {known})")
        if not 1 <= percent <= 100:
            raise FeeError(f"“{who.strip()}”: tỷ lệ miễn, giảm phải từ 1 đến 100 %")
        if any(e.category == code for e in out):
            raise FeeError(f"đối tượng “{label}” ghi hai lần")
        out.append(Exemption(code, nfc(basis), percent))
    return tuple(out)


def parse_fee_rule(v: dict[str, str], fee: int | None, report) -> tuple[dict, int | None]:
    """The fee columns of one row → (the stored rule, ``fee`` = its headline amount).

    Errors go to ``report(column, message)``. Without ``cach_tinh_phi`` the row's
    ``phi_le_phi`` is the amount per case (0: free), as before the fee columns existed."""
    found: list[str] = []

    def err(column: str, message: str) -> None:
        found.append(column)
        report(column, message)

    basis_text = v["cach_tinh_phi"]
    if basis_text:
        basis = BASES.get(value_key(basis_text))
        if basis is None:
            err(
                "cach_tinh_phi",
                f"“{basis_text}” không hợp lệ (miễn, theo hồ sơ, theo bản, theo trang hoặc "
                "theo đơn vị)",
            )
            return {}, None
    else:
        basis = Basis.FREE if fee == 0 else Basis.PER_CASE
        for col in ("bac_phi_theo_trang", "phi_toi_da_moi_ban", "don_vi_tinh_phi"):
            if v[col]:
                err(col, "cần ghi cột “cach_tinh_phi” (theo trang, theo đơn vị …)")
    kind = FeeKind.CHARGE
    if v["loai_phi"]:
        kind = KINDS.get(value_key(v["loai_phi"]))
        if kind is None:
            err("loai_phi", f"“{v['loai_phi']}” không hợp lệ (phí hoặc lệ phí)")
    data: dict = {"basis": basis.value, "kind": (kind or FeeKind.CHARGE).value}
    if basis == Basis.PER_PAGE:
        try:
            data["tiers"] = [
                [t.first, t.last, t.price] for t in parse_tiers(v["bac_phi_theo_trang"])
            ]
            check_tiers(tuple(Tier(*t) for t in data["tiers"]))
        except FeeError as exc:
            err("bac_phi_theo_trang", exc.message[:1].lower() + exc.message[1:].rstrip("."))
        if v["phi_toi_da_moi_ban"]:
            try:
                data["cap_per_copy"] = parse_fee(v["phi_toi_da_moi_ban"])
            except ValueError:
                err("phi_toi_da_moi_ban", f"“{v['phi_toi_da_moi_ban']}” không phải số tiền")
    else:
        if basis_text and v["bac_phi_theo_trang"]:
            err("bac_phi_theo_trang", "chỉ dùng khi “cach_tinh_phi” là “theo trang”")
        if basis_text and v["phi_toi_da_moi_ban"]:
            err("phi_toi_da_moi_ban", "chỉ dùng khi “cach_tinh_phi” là “theo trang”")
        if basis not in (Basis.FREE,) and fee is None:
            return {}, None  # phi_le_phi already reported
        if basis in (Basis.PER_CASE, Basis.PER_COPY, Basis.PER_UNIT) and not fee:
            err("phi_le_phi", f"cách tính “{basis_text}” cần mức thu lớn hơn 0")
        data["price"] = fee or 0
    if basis == Basis.PER_UNIT:
        if not v["don_vi_tinh_phi"]:
            err("don_vi_tinh_phi", "tính theo đơn vị cần tên đơn vị (ví dụ “thửa đất”)")
        data["unit_label"] = v["don_vi_tinh_phi"]
    elif basis_text and v["don_vi_tinh_phi"]:
        err("don_vi_tinh_phi", "chỉ dùng khi “cach_tinh_phi” là “theo đơn vị”")
    if v["phi_truc_tuyen"]:
        try:
            data["online_percent"] = parse_percent(v["phi_truc_tuyen"])
        except ValueError:
            err("phi_truc_tuyen", f"“{v['phi_truc_tuyen']}” không phải tỷ lệ từ 0% đến 100%")
    if v["doi_tuong_mien_giam"]:
        try:
            data["exemptions"] = [
                [e.category, e.percent, e.basis] for e in parse_exemptions(v["doi_tuong_mien_giam"])
            ]
        except FeeError as exc:
            err("doi_tuong_mien_giam", exc.message)
    if v["ten_phi"]:
        data["name"] = v["ten_phi"]
    if v["can_cu_phi"]:
        data["legal_basis"] = v["can_cu_phi"]
    if v["thoi_diem_thu_phi"]:
        moment = COLLECT_WORDS.get(value_key(v["thoi_diem_thu_phi"]))
        if moment is None:
            err(
                "thoi_diem_thu_phi",
                f"“{v['thoi_diem_thu_phi']}” không hợp lệ (khi tiếp nhận hoặc khi trả kết quả)",
            )
        else:
            data["collect_at"] = moment.value
    if found:
        return {}, None
    try:
        rule = rule_from_dict(data)
    except FeeError as exc:  # anything the column checks above let through
        err("cach_tinh_phi", exc.message)
        return {}, None
    amount = headline(rule)
    if basis == Basis.PER_PAGE and fee not in (None, amount) and v["phi_le_phi"]:
        err(
            "phi_le_phi",
            f"{number_vi(fee)} khác mức thu trang đầu theo bậc phí ({number_vi(amount)}); "
            "để trống hoặc ghi đúng",
        )
    if basis == Basis.FREE and fee:
        err("phi_le_phi", f"cách tính “{basis_text}” nhưng mức thu là {number_vi(fee)}")
    return rule_to_dict(rule), amount


def fee_columns(fee: int, stored: dict) -> dict[str, str]:
    """The fee columns of an export, read back by :func:`parse_fee_rule` as the same rule."""
    rule = rule_for(fee, stored)
    exemptions = "; ".join(
        EXEMPTION_LABELS[e.category]
        + ("" if e.percent == 100 else f" {e.percent}%")
        + (f": {e.basis}" if e.basis else "")
        for e in rule.exemptions
    )
    paged = rule.basis == Basis.PER_PAGE
    return {
        "loai_phi": "" if rule.basis == Basis.FREE else KIND_LABELS[rule.kind].lower(),
        "cach_tinh_phi": BASIS_WORDS[rule.basis],
        "don_vi_tinh_phi": rule.unit_label,
        "bac_phi_theo_trang": "; ".join(
            f"{t.first}-{'' if t.last is None else t.last}: {t.price}" for t in rule.tiers
        )
        if paged
        else "",
        "phi_toi_da_moi_ban": "" if rule.cap_per_copy is None else str(rule.cap_per_copy),
        "phi_truc_tuyen": "" if rule.online_percent == 100 else f"{rule.online_percent}%",
        "doi_tuong_mien_giam": exemptions,
        "can_cu_phi": rule.legal_basis,
        "ten_phi": rule.name,
        "thoi_diem_thu_phi": "khi tiếp nhận" if rule.collect_at == CollectAt.RECEPTION else "",
    }


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
        # with a rule the amount may be left empty (by pages: it is the first page's)
        fee = 0 if v["cach_tinh_phi"] and not v["phi_le_phi"] else parse_fee(v["phi_le_phi"])
        if fee > MAX_FEE:
            raise ValueError
    except ValueError:
        err("phi_le_phi", f"“{v['phi_le_phi']}” không phải số tiền (đồng, số nguyên, 0 = miễn)")
        fee = None
    fee_rule, fee = parse_fee_rule(v, fee, err)

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
            fee_rule=fee_rule,
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
