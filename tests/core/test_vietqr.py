"""VietQR payloads: published vectors, two independent decoders, a CRC oracle, and the PNG read
back by a barcode reader — none of them our code."""

from __future__ import annotations

import io
import re
from datetime import date

import cemacqr
import pytest
import zxingcpp
from crccheck.crc import Crc16CcittFalse
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image
from vietnam_qr_pay import QRPay

from motcua.core.codes import format_dossier_code
from motcua.core.vietqr import (
    VietQRError,
    ascii_message,
    check_account,
    crc16_ccitt_false,
    statement_mentions,
    transfer_message,
    vietqr_payload,
)
from motcua.documents.pdf import qr_png

# Published payloads with the inputs that made them, our encoder must give them character for
# character (same objects, same order):
# - github.com/subiz/vietqr, README.md (Generate(120000, "970415", "0011001932418", ...));
# - github.com/subiz/vietqr, vietqr_test.go (TestQR, the dynamic QRIBFTTA cases);
# - the README of the npm package dynamic-vietqr (dynamicIBFTToAccount('10000', 'order') on
#   account 012345678 at 970403: its amount object says 100000).
PUBLISHED = [
    (
        ("970415", "0011001932418", 120000, "ủng hộ lũ lụt"),
        "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA"
        "530370454061200005802VN62170813ung ho lu lut6304C15C",
    ),
    (
        ("970422", "0023457923442", 40123, "test text string"),
        "00020101021238570010A00000072701270006970422011300234579234420208QRIBFTTA"
        "53037045405401235802VN62200816test text string6304D9C6",
    ),
    (
        ("970422", "0023457923442", 40123, "chuyển khoản"),
        "00020101021238570010A00000072701270006970422011300234579234420208QRIBFTTA"
        "53037045405401235802VN62160812chuyen khoan6304722F",
    ),
    (
        ("970403", "012345678", 100000, "order"),
        "00020101021238530010A0000007270123000697040301090123456780208QRIBFTTA"
        "530370454061000005802VN62090805order6304D44C",
    ),
]

# Published payloads of other shapes (static, extra objects, other order): only their CRC is
# checked against ours.
# - the documentation of the Dart package vietqr_generator (QrPay.vietQR, bin 970407);
# - github.com/duyquoc1508/napas-qr README (with a bill number, 62-01);
# - the README of the Python package napas-qr-python (static, 53 and 58 before 38);
# - github.com/subiz/vietqr vietqr_test.go (the static case, no amount, no message).
OTHER_SHAPES = [
    "00020101021138540010A00000072701240006970407011003865776720208QRIBFTTA5303704540710000005802VN"
    "62160812henry an cut6304A322",
    "00020101021238530010A0000007270123000697041601092245284790208QRIBFTTA53037045405100005802VN"
    "62340107NPS68690819TRANSFER TO SOMEONE6304AC13",
    "00020101021153037045802VN38540010A00000072701240006970436011010319334300208QRIBFTTA"
    "62220818Thanh toan hoa don6304FCE9",
    "00020101021138540010A00000072701240006970423011000999999990208QRIBFTTA53037045802VN6304CBB4",
]

# EMVCo merchant mode asks for these; NAPAS's transfer to an account leaves them out, and so
# does every published VietQR transfer payload above.
NOT_IN_TRANSFERS = {"52", "59", "60"}


def decoded_by_both(payload: str) -> dict[str, object]:
    """What the two decoders read, after checking that they agree with each other."""
    first = QRPay(payload)
    assert first.is_valid  # its parser checks the CRC first
    second = cemacqr.parse_payload(payload)
    assert second.crc_ok and second.stated_crc == second.computed_crc
    report = cemacqr.validate(second)
    assert {v.tag for v in report.violations} <= NOT_IN_TRANSFERS, str(report)
    assert {v.code for v in report.violations} <= {"MANDATORY_MISSING"}
    napas = second.merchant_accounts["38"]
    beneficiary = {t.tag: t.value for t in cemacqr.parse_tlv(napas["01"])}
    read = {
        "version": second.payload_format_indicator,
        "initiation": second.point_of_initiation,
        "guid": napas["00"],
        "service": napas["02"],
        "bin": beneficiary["00"],
        "account": beneficiary["01"],
        "currency": second.currency,
        "amount": second.amount,
        "country": second.country_code,
        "message": second.template("62").get("08"),
        "crc": second.stated_crc,
    }
    assert read == {
        "version": first.version,
        "initiation": first.init_method,
        "guid": first.provider.guid,
        "service": first.provider.service,
        "bin": first.consumer.bank_bin,
        "account": first.consumer.bank_number,
        "currency": first.currency,
        "amount": first.amount,
        "country": first.nation,
        "message": first.additional_data.purpose,
        "crc": first.crc,
    }
    return read


def expected(bin: str, account: str, amount: int, message: str, payload: str) -> dict:
    return {
        "version": "01",
        "initiation": "12",
        "guid": "A000000727",
        "service": "QRIBFTTA",
        "bin": bin,
        "account": account,
        "currency": "704",
        "amount": str(amount),
        "country": "VN",
        "message": message or None,
        "crc": payload[-4:],
    }


# --- published vectors, CRC ----------------------------------------------------------------------


@pytest.mark.parametrize("inputs, published", PUBLISHED)
def test_published_payloads_are_reproduced(inputs, published):
    payload = vietqr_payload(*inputs)
    assert payload == published
    bin, account, amount, message = inputs
    assert decoded_by_both(payload) == expected(
        bin, account, amount, ascii_message(message), payload
    )


@pytest.mark.parametrize("published", OTHER_SHAPES)
def test_published_checksums_agree(published):
    assert crc16_ccitt_false(published[:-4]) == published[-4:]
    decoded_by_both(published)


def test_crc_catalogue_check_value_and_bad_checksums():
    assert crc16_ccitt_false("123456789") == "29B1"  # CRC-16/CCITT-FALSE's check value
    assert crc16_ccitt_false("") == "FFFF"
    payload = PUBLISHED[0][1]
    broken = payload[:-1] + ("0" if payload[-1] != "0" else "1")
    assert not QRPay(broken).is_valid
    assert not cemacqr.parse_payload(broken).crc_ok


@given(st.text(max_size=300))
def test_crc_equals_the_oracle(text):
    oracle = Crc16CcittFalse.calc(text.encode())
    assert crc16_ccitt_false(text) == f"{oracle:04X}"
    assert re.fullmatch(r"[0-9A-F]{4}", crc16_ccitt_false(text))


# --- any account, amount, message ----------------------------------------------------------------

bins = st.from_regex(r"[0-9]{6}", fullmatch=True)
accounts = st.from_regex(r"[A-Za-z0-9]{1,19}", fullmatch=True)
amounts = st.integers(min_value=1, max_value=10**13 - 1)
vietnamese = st.sampled_from("aăâđeêioôơuưyAĂÂĐEÊIOÔƠUƯYàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệỳýỷỹỵ")
messages = st.text(
    alphabet=st.one_of(vietnamese, st.characters(codec="utf-8"), st.sampled_from(" .-,:/")),
    max_size=40,
)


@given(bins, accounts, amounts, messages)
def test_any_payload_decodes_to_what_was_asked(bin, account, amount, message):
    clean = ascii_message(message)
    if len(clean) > 25:
        with pytest.raises(VietQRError) as caught:
            vietqr_payload(bin, account, amount, message)
        assert caught.value.code == "invalid" and "25 ký tự" in caught.value.message
        return
    payload = vietqr_payload(bin, account, amount, message)
    assert payload.isascii() and payload.startswith("000201010212")
    assert payload[-8:-4] == "6304" and crc16_ccitt_false(payload[:-4]) == payload[-4:]
    assert Crc16CcittFalse.calc(payload[:-4].encode()) == int(payload[-4:], 16)
    assert decoded_by_both(payload) == expected(bin, account, amount, clean, payload)
    assert len(payload) == len(payload.encode())  # lengths in characters are lengths in bytes


@given(messages)
def test_ascii_message_keeps_only_letters_digits_and_single_spaces(message):
    clean = ascii_message(message)
    assert re.fullmatch(r"([A-Za-z0-9]+( [A-Za-z0-9]+)*)?", clean)
    assert ascii_message(clean) == clean


def test_ascii_message_folds_vietnamese_and_keeps_case():
    assert ascii_message("Nộp lệ phí: Đăng ký khai sinh") == "Nop le phi Dang ky khai sinh"
    assert ascii_message("  ĐỒNG\u00a0ý…  ") == "DONG y"
    assert ascii_message("Nộp") == ascii_message("No\u0323\u0302p")  # NFD input too


# --- refusals ------------------------------------------------------------------------------------


@pytest.mark.parametrize("bin", ["97041", "9704155", "97041a", "", " 970415", "９７０４１５"])
def test_bad_bin(bin):
    with pytest.raises(VietQRError) as caught:
        check_account(bin, "0011001932418")
    assert caught.value.code == "invalid_collection_account" and caught.value.status == 400
    assert caught.value.message == "Mã BIN ngân hàng phải gồm đúng 6 chữ số (ví dụ 970415)."


@pytest.mark.parametrize(
    "account", ["", "0011 0019", "0011-0019", "1" * 20, "Đ123", "１２３", "0011001932418\n"]
)
def test_bad_account(account):
    with pytest.raises(VietQRError) as caught:
        vietqr_payload("970415", account, 1000, "")
    assert caught.value.code == "invalid_collection_account"
    assert "Số tài khoản nhận tiền" in caught.value.message


@pytest.mark.parametrize("amount", [0, -5, 10**13, True, 1000.0, "1000", None])
def test_bad_amount(amount):
    with pytest.raises(VietQRError) as caught:
        vietqr_payload("970415", "0011001932418", amount, "")
    assert caught.value.code == "invalid_fee"
    assert caught.value.message.startswith("Số tiền phải là số nguyên đồng")


def test_limits_are_accepted():
    payload = vietqr_payload("970415", "A" * 19, 10**13 - 1, "x" * 25)
    read = decoded_by_both(payload)
    assert read["account"] == "A" * 19 and read["amount"] == "9" * 13
    assert read["message"] == "x" * 25
    assert "62" not in cemacqr.parse_payload(vietqr_payload("970415", "1", 1, " … ")).tags


# --- the transfer message of a dossier -----------------------------------------------------------

unit_codes = (
    st.lists(st.from_regex(r"[A-Z0-9]{1,5}", fullmatch=True), min_size=1, max_size=8)
    .map(".".join)
    .filter(lambda code: len(code) <= 35)
)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
sequences = st.integers(min_value=1, max_value=999_999)


def test_transfer_message_examples():
    assert transfer_message("H15.50.05.13-261008-0975") == "H15500513 261008 0975"
    assert transfer_message("XA05605-261201-0001") == "XA05605 261201 0001"
    # 32 characters once compact: the head of the unit code goes, the day and sequence stay.
    assert transfer_message("000.00.12.H15.50.05.13-261008-0975") == "0012H15500513 261008 0975"
    assert transfer_message("Hồ sơ số 5") == "HO SO SO 5"  # not a dossier code: made ASCII


@given(unit_codes, days, sequences)
def test_transfer_message_fits_and_keeps_day_and_sequence(unit, day, sequence):
    code = format_dossier_code(unit, day, sequence)
    message = transfer_message(code)
    assert len(message) <= 25 and re.fullmatch(r"[A-Z0-9]+( [A-Z0-9]+)*", message)
    assert message.endswith(f" {day:%y%m%d} {sequence:04d}")
    compact = f"{unit.replace('.', '')} {day:%y%m%d} {sequence:04d}"
    assert message == (compact if len(compact) <= 25 else compact[-25:].lstrip())
    assert transfer_message(code.lower()) == message
    payload = vietqr_payload("970415", "0011001932418", 50_000, message)
    assert decoded_by_both(payload)["message"] == message  # passes through unchanged


@given(unit_codes, days, sequences, days, sequences)
def test_transfer_messages_of_one_unit_differ(unit, day, sequence, other_day, other_sequence):
    if (day, sequence) == (other_day, other_sequence):
        return
    first = transfer_message(format_dossier_code(unit, day, sequence))
    second = transfer_message(format_dossier_code(unit, other_day, other_sequence))
    assert first != second
    assert not statement_mentions(f"CT DEN:123456 {second} FT26", first)


@given(unit_codes, days, sequences, st.sampled_from(["upper", "lower", "no spaces", "dots"]))
def test_statement_finds_the_message_as_banks_rewrite_it(unit, day, sequence, rewrite):
    message = transfer_message(format_dossier_code(unit, day, sequence))
    carried = {
        "upper": message.upper(),
        "lower": message.lower(),
        "no spaces": message.replace(" ", ""),
        "dots": message.replace(" ", "."),
    }[rewrite]
    assert statement_mentions(f"MBVCB.5512345.{carried}.CT tu 0011001932418 NGUYEN VAN A", message)
    assert statement_mentions(carried, message)


def test_statement_does_not_find_a_longer_sequence_or_nothing():
    message = "H15500513 261008 0975"
    assert not statement_mentions("IBFT H15500513 261008 09751", message)
    assert not statement_mentions("IBFT 1H15500513 261008 0975", message)
    assert not statement_mentions("IBFT H15500513 261008", message)
    assert not statement_mentions("anything", "")
    assert statement_mentions("Nộp phí hồ sơ H15500513 261008 0975 - cảm ơn", message)


# --- the PNG -------------------------------------------------------------------------------------


def read_png(png: bytes) -> list[str]:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(png))
    return [
        found.text for found in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    ]


@pytest.mark.parametrize("inputs, published", PUBLISHED)
@pytest.mark.parametrize("scale", [3, 8])
def test_png_reads_back_as_the_payload(inputs, published, scale):
    assert read_png(qr_png(vietqr_payload(*inputs), scale=scale)) == [published]


@given(bins, accounts, amounts, unit_codes, days, sequences)
def test_any_png_reads_back(bin, account, amount, unit, day, sequence):
    payload = vietqr_payload(
        bin, account, amount, transfer_message(f"{unit}-{day:%y%m%d}-{sequence:04d}")
    )
    png = qr_png(payload, scale=4)
    assert read_png(png) == [payload]
    assert Image.open(io.BytesIO(png)).size[0] % 4 == 0
