"""The national portal's protocol rules (motcua.core.dvcqg) against a hand table from the issue's
list of the portal's status codes and docs/portal.md's mapping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from motcua.core import dvcqg
from motcua.core.lifecycle import TRANSITIONS, Action, EventKind, State

HCM = ZoneInfo("Asia/Ho_Chi_Minh")

# state → (portal code if never received, portal code once received); by hand.
BY_HAND = {
    "draft": (1, 1),
    "awaiting_reception": (1, 1),
    "received": (2, 2),
    "in_review": (4, 4),
    "awaiting_supplement": (5, 5),
    "awaiting_approval": (4, 4),
    "awaiting_issue": (4, 4),
    "done": (9, 9),
    "returned": (10, 10),
    "refused": (3, 9),
    "stopped": (8, 8),
    "withdrawn": (7, 7),
    "transferred": (4, 4),
}
LABELS_BY_HAND = {
    1: "Mới đăng ký",
    2: "Được tiếp nhận",
    3: "Không được tiếp nhận",
    4: "Đang xử lý",
    5: "Yêu cầu bổ sung giấy tờ",
    6: "Yêu cầu thực hiện nghĩa vụ tài chính",
    7: "Công dân yêu cầu rút hồ sơ",
    8: "Dừng xử lý",
    9: "Đã xử lý xong",
    10: "Đã trả kết quả",
}


@pytest.mark.parametrize("state", list(BY_HAND))
def test_each_state_has_the_portals_status(state):
    before, after = BY_HAND[state]
    assert int(dvcqg.portal_status(state, received=False)) == before
    assert int(dvcqg.portal_status(state, received=True)) == after


def test_the_status_names_are_the_portals():
    assert {int(k): v for k, v in dvcqg.STATUS_LABELS.items()} == LABELS_BY_HAND


def test_every_move_of_the_state_machine_is_told_and_no_file_step_is():
    for action in TRANSITIONS:
        told = dvcqg.services_for(action.value)
        if action == Action.MARK_NOT_COLLECTED:  # a note for the desk, not a portal step
            assert told == ()
        else:
            assert told == ("DongBoHoSoMC", "CapNhatTienDoHoSoMC"), action
    # the fee's request, its cancellation and its payment are steps on the portal (status 6
    # "yêu cầu thực hiện nghĩa vụ tài chính", then the dossier's own status); a flagged
    # payment, a refund or a replaced receipt is the desk's own business
    told_fee = {"request_payment", "cancel_payment_request", "record_payment"}
    for kind in EventKind:
        expected = ("DongBoHoSoMC", "CapNhatTienDoHoSoMC") if kind.value in told_fee else ()
        assert dvcqg.services_for(kind.value) == expected, kind


def test_a_fee_request_is_status_6_until_paid():
    request = dvcqg.step_status(EventKind.REQUEST_PAYMENT, State.IN_REVIEW, received=True)
    assert int(request) == 6
    # while it waits, the dossier itself reads 6 in every working state and once done…
    for state in (State.RECEIVED, State.IN_REVIEW, State.AWAITING_APPROVAL, State.DONE):
        assert int(dvcqg.portal_status(state, received=True, fee_due=True)) == 6
    # …but never once it has ended otherwise or been returned
    assert int(dvcqg.portal_status(State.RETURNED, received=True, fee_due=True)) == 10
    assert int(dvcqg.portal_status(State.STOPPED, received=True, fee_due=True)) == 8
    # paid: the state's own status again
    assert int(dvcqg.portal_status(State.DONE, received=True, fee_due=False)) == 9


def test_a_request_to_complete_at_reception_is_the_portals_supplement():
    status = dvcqg.step_status(Action.REQUEST_COMPLETION, State.AWAITING_RECEPTION, received=False)
    assert int(status) == 5


def test_times_are_local_and_fourteen_digits():
    local = datetime(2026, 3, 2, 8, 30, 5, tzinfo=HCM)
    assert dvcqg.portal_time(local) == "20260302083005"
    assert dvcqg.portal_time(datetime(2026, 3, 2, 1, 30, 5, tzinfo=UTC)) == "20260302083005"
    assert dvcqg.portal_time(datetime(2025, 12, 31, 23, 0, tzinfo=UTC)) == "20260101060000"
    assert dvcqg.portal_time(None) == ""
    assert dvcqg.parse_portal_time("20260302083005") == local
    assert dvcqg.parse_portal_time("") is None
    for wrong in ("2026-03-02", "2026030208300", "20261302083005", "abcdefghijklmn"):
        with pytest.raises(ValueError):
            dvcqg.parse_portal_time(wrong)


@pytest.mark.parametrize(
    ("answer", "ok"),
    [
        ({"error_code": 0}, True),
        ({"error_code": "0"}, True),
        ({"error_code": "00"}, True),
        ({"error_code": " 00 "}, True),
        ({"error_code": 1}, False),
        ({"error_code": "-1"}, False),
        ({"error_code": "000"}, False),
        ({"error_code": False}, False),
        ({"error_code": None}, False),
        ({}, False),
        ([], False),
        ("0", False),
    ],
)
def test_what_counts_as_accepted(answer, ok):
    assert dvcqg.accepted(answer) is ok


def test_the_portals_words_are_kept_for_a_refusal():
    assert dvcqg.answer_message({"error_code": "5", "message": " Sai mã TTHC "}) == "Sai mã TTHC"
    assert dvcqg.answer_message({"error_code": "5"}) == "Cổng DVCQG từ chối, mã lỗi 5."
    assert "không đúng dạng" in dvcqg.answer_message("<html>")


def test_retries_double_from_thirty_seconds_up_to_the_cap():
    cap = timedelta(minutes=15)
    waits = [dvcqg.next_retry(n, cap).total_seconds() for n in range(0, 9)]
    assert waits == [0, 30, 60, 120, 240, 480, 900, 900, 900]
    assert dvcqg.next_retry(10_000, cap) == cap


def test_names_match_without_diacritics_and_an_exact_code_wins():
    ours = [
        ("1.001193", "Đăng ký khai sinh"),
        ("9.999999", "Đăng ký kết hôn"),
        ("8.888888", "Cấp giấy phép xây dựng"),
    ]
    theirs = [
        ("1.001193", "Thủ tục đăng ký khai sinh"),
        ("1.000894", "DANG KY KET HON"),
        ("2.000001", "Chứng thực chữ ký"),
    ]
    found = {s.ours: (s.theirs, s.score) for s in dvcqg.suggest_matches(ours, theirs)}
    assert found["1.001193"] == ("1.001193", 1.0)
    assert found["9.999999"] == ("1.000894", 1.0)
    assert "8.888888" not in found  # nothing close enough: an official types it
