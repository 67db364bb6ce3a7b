"""Dossier codes (TT 03/2025/TT-VPCP; unit code QĐ 20/2020/QĐ-TTg: at most 35 characters)."""

from __future__ import annotations

from datetime import date

import pytest

from motcua.core.codes import DossierCode, DossierCodeError, format_dossier_code, parse_dossier_code
from tests.core.sentences import assert_sentence


def test_a_code_prints_as_the_slip_shows_it():
    # DOMAIN.md's example: H15.50.05.13-261008-0975
    assert str(DossierCode("H15.50.05.13", date(2026, 10, 8), 975)) == "H15.50.05.13-261008-0975"
    assert str(parse_dossier_code("000.00.19.H56-240105-0001")) == "000.00.19.H56-240105-0001"


def test_sequence_starts_at_one():
    assert format_dossier_code("H15", date(2026, 1, 2), 1) == "H15-260102-0001"
    with pytest.raises(DossierCodeError) as caught:
        format_dossier_code("H15", date(2026, 1, 2), 0)
    assert_sentence(str(caught.value))


def test_unit_code_of_35_characters_is_accepted_36_is_not():
    unit35 = "H15." + "1" * 31
    assert len(unit35) == 35
    assert parse_dossier_code(f"{unit35}-261008-0975").unit_code == unit35
    with pytest.raises(DossierCodeError) as caught:
        parse_dossier_code(f"{unit35}1-261008-0975")
    assert_sentence(str(caught.value))
    assert "H15.50.05.13-261008-0975" in str(caught.value)  # the message shows an example


@pytest.mark.parametrize("text", ["", None, "   "])
def test_nothing_typed_is_not_a_code(text):
    with pytest.raises(DossierCodeError) as caught:
        parse_dossier_code(text)
    assert_sentence(str(caught.value))


def test_a_day_that_does_not_exist():
    with pytest.raises(DossierCodeError) as caught:
        parse_dossier_code("H15-260230-0001")  # 30/02/2026
    assert_sentence(str(caught.value))
    assert "không có thật" in str(caught.value)
    assert parse_dossier_code("H15-240229-0001").received_on == date(2024, 2, 29)  # leap year
