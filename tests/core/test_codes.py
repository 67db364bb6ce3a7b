from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.core.codes import DossierCodeError, format_dossier_code, parse_dossier_code


def test_format_and_parse():
    code = format_dossier_code("H15.50.05.13", date(2026, 10, 8), 975)
    assert code == "H15.50.05.13-261008-0975"
    parsed = parse_dossier_code(" h15.50.05.13-261008-0975 ")
    assert (parsed.unit_code, parsed.received_on, parsed.sequence) == (
        "H15.50.05.13",
        date(2026, 10, 8),
        975,
    )
    assert format_dossier_code("000.00.19.H56", date(2026, 1, 2), 12345).endswith("-260102-12345")


SHAPE = "Mã hồ sơ không đúng dạng (ví dụ H15.50.05.13-261008-0975)."


@pytest.mark.parametrize(
    "text, message",
    [
        ("", SHAPE),
        ("H15-2610-0975", SHAPE),  # the date has 4 digits, not 6
        ("H15.50-261308-0975", "Ngày tiếp nhận trong mã hồ sơ không có thật."),  # month 13
        ("H15 50-261008-0975", SHAPE),  # a space in the unit code
        ("H15-261008-97", SHAPE),  # the sequence has fewer than 4 digits
    ],
)
def test_bad_codes(text, message):
    with pytest.raises(DossierCodeError) as caught:
        parse_dossier_code(text)
    assert str(caught.value) == message


@given(
    st.from_regex(r"[A-Z][0-9]{2}(\.[0-9A-Z]{1,3}){0,3}", fullmatch=True),
    st.dates(date(2000, 1, 1), date(2099, 12, 31)),
    st.integers(1, 10**6),
)
def test_roundtrip(unit, day, seq):
    parsed = parse_dossier_code(format_dossier_code(unit, day, seq))
    assert (parsed.unit_code, parsed.received_on, parsed.sequence) == (unit, day, seq)
