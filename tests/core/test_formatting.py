from datetime import time
from decimal import Decimal

from motcua.core.formatting import hours_vi, money_vi, number_vi, percent_vi


def test_numbers_use_dot_thousands_and_comma_decimals():
    assert number_vi(3834) == "3.834"
    assert number_vi(1_234_567) == "1.234.567"
    assert number_vi(Decimal("1234.55"), 1) == "1.234,6"
    assert number_vi(0) == "0"


def test_percent_rounds_half_up_to_one_decimal():
    assert percent_vi(98.54) == "98,5 %"
    assert percent_vi(Decimal("99.25")) == "99,3 %"
    assert percent_vi(100) == "100,0 %"


def test_money():
    assert money_vi(50000) == "50.000 đồng"
    assert money_vi(0) == "Miễn phí"


def test_office_hours_read_as_a_sentence():
    morning, afternoon = (time(7, 30), time(11, 30)), (time(13, 0), time(17, 0))
    assert hours_vi([morning, afternoon]) == "07:30–11:30 và 13:00–17:00"
    assert hours_vi([morning]) == "07:30–11:30"
    evening = (time(18, 0), time(20, 0))
    assert hours_vi([morning, afternoon, evening]) == "07:30–11:30, 13:00–17:00 và 18:00–20:00"
