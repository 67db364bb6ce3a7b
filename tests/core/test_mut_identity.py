"""Citizen ID and tax code (Luật Căn cước 2023 Điều 12; mã số thuế 10 or 10-3 digits): every
refusal is a sentence, and the edges of the year and sex checks."""

from __future__ import annotations

from datetime import date

import pytest

from motcua.core.identity import (
    FEMALE,
    MALE,
    IdentityError,
    mask_citizen_id,
    validate_citizen_id,
    validate_tax_code,
)
from tests.core.sentences import assert_sentence

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    "number",
    ["", "01908500123A", "123456789", "01908500123", "003085001234", "019399001234"],
)
def test_every_refusal_is_a_sentence(number):
    with pytest.raises(IdentityError) as caught:
        validate_citizen_id(number, today=TODAY)
    assert_sentence(str(caught.value))


def test_the_old_nine_digit_number_is_named_and_the_card_pointed_to():
    with pytest.raises(IdentityError) as caught:
        validate_citizen_id("123 456 789", today=TODAY)
    message = str(caught.value)
    assert "9 chữ số" in message and "12 chữ số trên thẻ căn cước." in message


def test_born_abroad_country_code_000_is_not_a_country():
    with pytest.raises(IdentityError) as caught:
        validate_citizen_id("000090001234", born_abroad=True, today=TODAY)
    assert_sentence(str(caught.value))
    assert "mã quốc gia" in str(caught.value)


def test_born_this_year_is_valid_next_year_is_not():
    # digit 2 = born in the 2000s, male; "26" = 2026
    assert validate_citizen_id("019226001234", today=TODAY) == "019226001234"
    with pytest.raises(IdentityError, match="năm sinh 2027"):
        validate_citizen_id("019227001234", today=TODAY)


def test_the_year_is_checked_against_the_given_today():
    # On 01/01/2000 a number saying "born 2005" is from the future.
    with pytest.raises(IdentityError, match="sau năm hiện tại"):
        validate_citizen_id("019205001234", today=date(2000, 1, 1))


def test_sex_mismatch_names_the_sex_the_number_says():
    with pytest.raises(IdentityError) as caught:
        validate_citizen_id("019085001234", sex=FEMALE, today=TODAY)  # digit 0: male
    assert "giới tính nam," in str(caught.value)
    assert_sentence(str(caught.value))
    with pytest.raises(IdentityError, match="giới tính nữ,"):
        validate_citizen_id("019185001234", sex=MALE, today=TODAY)  # digit 1: female


def test_mask_hides_nothing_of_a_short_number():
    assert mask_citizen_id("1234") == "1234"
    assert mask_citizen_id("019 085 001 234") == "********1234"


def test_tax_code_spaces_are_dropped_and_refusal_is_a_sentence():
    assert validate_tax_code(" 0101 243 150 ") == "0101243150"
    assert validate_tax_code("0101243150 - 001") == "0101243150-001"
    for bad in ("", None, "010124315", "0101243150-01"):
        with pytest.raises(IdentityError) as caught:
            validate_tax_code(bad)
        assert_sentence(str(caught.value))
