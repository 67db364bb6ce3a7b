"""Số định danh cá nhân (citizen ID, Luật Căn cước 2023 Điều 12) and tax codes.

Pure Python, no Django import. 12 digits = 3-digit code of the province where the birth was
registered (or of the country, for a birth registered abroad) + 1 digit for century and sex
+ 2 digits of the year of birth + 6 random digits. There is no check digit, so a typo in the
random part cannot be caught: the structure, the date of birth and the sex can.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from motcua.core.errors import DomainError

# Codes of the 63 provinces before the 2025 merger (TT 59/2021/TT-BCA); numbers issued before
# the merger keep them, so all stay valid.
BIRTH_PROVINCE_CODES: dict[str, str] = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn",
    "008": "Tuyên Quang", "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu",
    "014": "Sơn La", "015": "Yên Bái", "017": "Hòa Bình", "019": "Thái Nguyên",
    "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang", "025": "Phú Thọ",
    "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định",
    "037": "Ninh Bình", "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh",
    "044": "Quảng Bình", "045": "Quảng Trị", "046": "Thừa Thiên Huế", "048": "Đà Nẵng",
    "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định", "054": "Phú Yên",
    "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng",
    "070": "Bình Phước", "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu", "079": "Hồ Chí Minh", "080": "Long An", "082": "Tiền Giang",
    "083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long", "087": "Đồng Tháp",
    "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ", "093": "Hậu Giang",
    "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}  # fmt: skip

MALE = "nam"
FEMALE = "nu"


class IdentityError(DomainError, ValueError):
    """An identifier that is not valid (Vietnamese message)."""

    default_code = "invalid_identity"


def _digits(value: str) -> str:
    """Keep digits, accepting spaces, dots and dashes people type; full-width digits too."""
    text = unicodedata.normalize("NFKC", value or "")
    return re.sub(r"[\s.\-]", "", text)


def citizen_id_parts(number: str) -> tuple[str, int, str]:
    """(birth-place code, year of birth, sex) of a structurally valid 12-digit number."""
    century_sex = int(number[3])
    year = 1900 + (century_sex // 2) * 100 + int(number[4:6])
    return number[:3], year, MALE if century_sex % 2 == 0 else FEMALE


def validate_citizen_id(
    value: str,
    *,
    birth_date: date | None = None,
    sex: str | None = None,
    born_abroad: bool = False,
    today: date | None = None,
) -> str:
    """Return the normalised 12-digit number, or raise :class:`IdentityError`.

    ``born_abroad``: the birth was registered abroad, so the first three digits are a country
    code, not one of the provinces' codes.
    """
    number = _digits(value)
    if not number:
        raise IdentityError("Chưa nhập số định danh cá nhân.")
    if not number.isdigit() or not number.isascii():
        raise IdentityError("Số định danh cá nhân chỉ gồm chữ số.")
    if len(number) == 9:
        raise IdentityError(
            "Đây là số chứng minh nhân dân cũ (9 chữ số); hãy nhập số định danh cá nhân 12 chữ số "
            "trên thẻ căn cước."
        )
    if len(number) != 12:
        raise IdentityError(f"Số định danh cá nhân phải có đúng 12 chữ số (đang có {len(number)}).")
    place, year, id_sex = citizen_id_parts(number)
    if born_abroad:
        if place == "000":
            raise IdentityError("Ba chữ số đầu (mã quốc gia nơi đăng ký khai sinh) không hợp lệ.")
    elif place not in BIRTH_PROVINCE_CODES:
        raise IdentityError(
            f"Ba chữ số đầu “{place}” không phải mã tỉnh, thành phố nơi đăng ký khai sinh."
        )
    today = today or date.today()
    if year > today.year:
        raise IdentityError(
            f"Chữ số thứ 4-6 cho năm sinh {year}, sau năm hiện tại: số định danh không hợp lệ."
        )
    if birth_date is not None and birth_date.year != year:
        raise IdentityError(
            f"Số định danh ứng với năm sinh {year}, khác năm sinh đã nhập ({birth_date.year})."
        )
    if sex is not None and sex != id_sex:
        said = "nam" if id_sex == MALE else "nữ"
        raise IdentityError(f"Số định danh ứng với giới tính {said}, khác giới tính đã nhập.")
    return number


def mask_citizen_id(number: str) -> str:
    """Show only the last 4 digits: "********6789" (lists, slips, tracking pages)."""
    digits = _digits(number)
    return "*" * max(len(digits) - 4, 0) + digits[-4:]


def mask_phone(number: str) -> str:
    """The first 4 and last 3 digits: "0912***678" (who may not call the applicant)."""
    digits = _digits(number)
    if len(digits) <= 7:
        return "*" * len(digits)
    return f"{digits[:4]}***{digits[-3:]}"


def mask_email(address: str) -> str:
    """The first letter and the domain: "a***@example.vn"."""
    local, at, domain = address.partition("@")
    if not at:
        return "***"
    return f"{local[:1]}***@{domain}"


def mask_address(address: str) -> str:
    """Only the last part (commune, province): "…, xã Bình Thành"; "…" with no comma."""
    _, comma, last = address.rpartition(",")
    if not comma or not last.strip():
        return "…" if address.strip() else ""
    return f"…, {last.strip()}"


def validate_tax_code(value: str) -> str:
    """Mã số thuế: 10 digits, or 10 + "-" + 3 digits for a branch."""
    text = re.sub(r"\s", "", unicodedata.normalize("NFKC", value or ""))
    if not re.fullmatch(r"\d{10}(-\d{3})?", text):
        raise IdentityError(
            "Mã số thuế phải gồm 10 chữ số (chi nhánh: 10 chữ số, “-” và 3 chữ số)."
        )
    return text
