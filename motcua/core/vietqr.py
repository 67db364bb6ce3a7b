"""Mã VietQR chuyển khoản: the payload a citizen's bank app scans to pay a fee into the unit's
own collection account (Nghị định 52/2024/NĐ-CP: the vendor never holds the money).

Pure Python, no Django import. The format is NAPAS "QR Switching Part IV: QR code format"
v1.5.2, a profile of the EMVCo merchant-presented QR code (docs/vietqr.md has the sources):
each data object is ``ID(2) LEN(2) VALUE`` with the length counted in characters, and

    00 "01"  01 "12" (dynamic: one code per payment, with its amount)
    38 {00 "A000000727"  01 {00 bank BIN  01 account}  02 "QRIBFTTA" (transfer to an account)}
    53 "704" (VND)  54 amount  58 "VN"  62 {08 purpose of transaction = the transfer message}
    63 CRC-16/CCITT-FALSE over everything before it, "6304" included, 4 upper-case hex digits.

Only dynamic codes are made: a fee QR always carries its amount, so the citizen types nothing.
"""

from __future__ import annotations

import binascii
import re
import unicodedata

from motcua.core.codes import DOSSIER_CODE_RE
from motcua.core.errors import DomainError
from motcua.core.text import fold

NAPAS_GUID = "A000000727"
SERVICE_TO_ACCOUNT = "QRIBFTTA"
CURRENCY_VND = "704"
COUNTRY = "VN"
MESSAGE_MAX = 25  # ID 62-08 "Purpose of Transaction", ans, up to 25
AMOUNT_MAX = 10**13 - 1  # ID 54, up to 13 characters; VND has no minor unit
ACCOUNT_MAX = 19

_BIN_RE = re.compile(r"[0-9]{6}")  # not \d: it takes any script's digits
_ACCOUNT_RE = re.compile(rf"[A-Za-z0-9]{{1,{ACCOUNT_MAX}}}")
_NOT_KEPT = re.compile(r"[^A-Za-z0-9]+")


class VietQRError(DomainError):
    """A collection account, an amount or a message that cannot go into a VietQR code."""

    default_code = "invalid_collection_account"


def crc16_ccitt_false(data: str) -> str:
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, not reflected, no final XOR) of the UTF-8
    bytes of ``data``, as 4 upper-case hex digits. ``binascii.crc_hqx`` is exactly this CRC
    with the initial value passed in, computed in C."""
    return f"{binascii.crc_hqx(data.encode(), 0xFFFF):04X}"


def _tlv(tag: str, value: str) -> str:
    return f"{tag}{len(value):02d}{value}"


def check_account(bin: str, account: str) -> None:
    """Raise :class:`VietQRError` unless ``bin`` is a bank's 6-digit BIN (mã BIN ngân hàng)
    and ``account`` an account number of 1-19 letters or digits, stored as the bank gave it."""
    if not isinstance(bin, str) or not _BIN_RE.fullmatch(bin):
        raise VietQRError("Mã BIN ngân hàng phải gồm đúng 6 chữ số (ví dụ 970415).")
    if not isinstance(account, str) or not _ACCOUNT_RE.fullmatch(account):
        raise VietQRError(
            f"Số tài khoản nhận tiền chỉ gồm chữ cái và chữ số, từ 1 đến {ACCOUNT_MAX} ký tự, "
            "không có dấu cách."
        )


def check_amount(amount: int) -> None:
    """Raise :class:`VietQRError` (code ``invalid_fee``) unless ``amount`` is a whole number of
    đồng from 1 to 13 digits."""
    if isinstance(amount, bool) or not isinstance(amount, int) or not 1 <= amount <= AMOUNT_MAX:
        raise VietQRError(
            "Số tiền phải là số nguyên đồng, lớn hơn 0 và không quá 13 chữ số.", "invalid_fee"
        )


def ascii_message(text: str) -> str:
    """``text`` as a bank transfer can carry it: Vietnamese letters without their marks ("đ" →
    "d"), case kept, every run of other characters one space, ends trimmed.

    >>> ascii_message("Nộp lệ phí: Đăng ký")
    'Nop le phi Dang ky'
    """
    if not text.isascii():
        text = "".join(_ascii_letter(ch) for ch in unicodedata.normalize("NFC", text))
    return _NOT_KEPT.sub(" ", text).strip()


def _ascii_letter(ch: str) -> str:
    if ch.isascii():
        return ch
    folded = fold(ch) or " "  # a non-ASCII space folds to nothing: keep it a word break
    return folded.upper() if ch.isupper() else folded


def transfer_message(dossier_code: str) -> str:
    """The transfer message (nội dung chuyển khoản) for a dossier's fee: what the QR code puts
    in ID 62-08 and what the bank statement will carry, so the payment is found again.

    The rule (docs/vietqr.md): the dossier code ``{unit}-{YYMMDD}-{sequence}`` with the dots of
    the unit code dropped and the hyphens made spaces, e.g. "H15.50.05.13-261008-0975" →
    "H15500513 261008 0975". Longer than 25 characters, its last 25 are kept: the unit code
    loses its head (the province and district levels shared by many units), the day and the
    sequence stay whole. The money goes to the unit's own account, and within one unit the
    day and the sequence already name one dossier, so a shortened code is never ambiguous on
    that account's statement. A code not of that form is made ASCII the same way (its last 25
    characters kept).
    """
    text = dossier_code.strip().upper()
    if DOSSIER_CODE_RE.match(text):
        text = text.replace(".", "")
    message = ascii_message(text)
    return message[-MESSAGE_MAX:].lstrip()


def statement_mentions(content: str, message: str) -> bool:
    """Does a bank statement line's content carry ``message``? Banks put their own references
    around it, change case, and some drop or double spaces: the letters and digits of
    ``message`` must appear in order with nothing but separators between them, and no letter
    or digit right before or after (so "... 0975" is not found in "... 09751")."""
    wanted = _NOT_KEPT.sub("", message).upper()
    if not wanted:
        return False
    pattern = "[^A-Z0-9]*".join(re.escape(ch) for ch in wanted)
    found = re.search(rf"(?<![A-Z0-9]){pattern}(?![A-Z0-9])", ascii_message(content).upper())
    return found is not None


def vietqr_payload(bin: str, account: str, amount: int, message: str) -> str:
    """The VietQR text for a transfer of ``amount`` đồng to ``account`` at the bank ``bin``.

    ``message`` is made ASCII by :func:`ascii_message` (what :func:`transfer_message` returns
    goes through unchanged); empty, the code has no ID 62. Raises :class:`VietQRError` with a
    Vietnamese message for a bad BIN or account, an amount that is not 1 to 13 digits of đồng,
    or a message longer than 25 characters once made ASCII: it is refused, not cut, since the
    statement must carry what the caller will look for.
    """
    check_account(bin, account)
    check_amount(amount)
    purpose = ascii_message(message)
    if len(purpose) > MESSAGE_MAX:
        raise VietQRError(
            f"Nội dung chuyển khoản dài quá {MESSAGE_MAX} ký tự (không dấu): {purpose}.",
            "invalid",
        )
    beneficiary = _tlv("00", bin) + _tlv("01", account)
    merchant = _tlv("00", NAPAS_GUID) + _tlv("01", beneficiary) + _tlv("02", SERVICE_TO_ACCOUNT)
    payload = (
        "000201010212"
        + _tlv("38", merchant)
        + _tlv("53", CURRENCY_VND)
        + _tlv("54", str(amount))
        + _tlv("58", COUNTRY)
        + (_tlv("62", _tlv("08", purpose)) if purpose else "")
        + "6304"
    )
    return payload + crc16_ccitt_false(payload)
