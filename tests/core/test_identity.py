from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.core.identity import (
    BIRTH_PROVINCE_CODES,
    FEMALE,
    MALE,
    IdentityError,
    citizen_id_parts,
    mask_citizen_id,
    validate_citizen_id,
    validate_tax_code,
)

TODAY = date(2026, 11, 25)


def test_valid_numbers():
    assert validate_citizen_id("019085001234", today=TODAY) == "019085001234"
    assert citizen_id_parts("019085001234") == ("019", 1985, MALE)
    assert citizen_id_parts("001305001234") == ("001", 2005, FEMALE)
    # spaces and dots people type are accepted
    assert validate_citizen_id(" 019 085 001 234 ", today=TODAY) == "019085001234"


@pytest.mark.parametrize(
    "number, message",
    [
        ("", "Chưa nhập"),
        ("01908500123A", "chỉ gồm chữ số"),
        ("123456789", "chứng minh nhân dân cũ"),
        ("01908500123", "đúng 12 chữ số"),
        ("003085001234", "không phải mã tỉnh"),
        ("019399001234", "sau năm hiện tại"),  # century digit 3 → 2099
    ],
)
def test_invalid_numbers(number, message):
    with pytest.raises(IdentityError, match=message):
        validate_citizen_id(number, today=TODAY)


def test_checked_against_birth_date_and_sex():
    validate_citizen_id("019185001234", birth_date=date(1985, 3, 1), sex=FEMALE, today=TODAY)
    with pytest.raises(IdentityError, match="năm sinh 1985, khác năm sinh đã nhập \\(1986\\)"):
        validate_citizen_id("019185001234", birth_date=date(1986, 3, 1), today=TODAY)
    with pytest.raises(IdentityError, match="giới tính nữ"):
        validate_citizen_id("019185001234", sex=MALE, today=TODAY)


def test_born_abroad_takes_a_country_code():
    assert validate_citizen_id("840090001234", born_abroad=True, today=TODAY)
    with pytest.raises(IdentityError):
        validate_citizen_id("840090001234", today=TODAY)


def test_mask_shows_last_four_only():
    assert mask_citizen_id("019085001234") == "********1234"


@given(
    st.sampled_from(sorted(BIRTH_PROVINCE_CODES)),
    st.integers(1900, 2026),
    st.sampled_from([MALE, FEMALE]),
    st.integers(0, 999_999),
)
def test_any_well_formed_number_roundtrips(place, year, sex, rest):
    century = (year - 1900) // 100
    digit = century * 2 + (1 if sex == FEMALE else 0)
    number = f"{place}{digit}{year % 100:02d}{rest:06d}"
    assert validate_citizen_id(number, birth_date=date(year, 1, 1), sex=sex, today=TODAY) == number
    assert citizen_id_parts(number) == (place, year, sex)


def test_tax_code():
    assert validate_tax_code("0101243150") == "0101243150"
    assert validate_tax_code("0101243150-001") == "0101243150-001"
    with pytest.raises(IdentityError):
        validate_tax_code("12345")
