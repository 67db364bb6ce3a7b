import pytest

URL = "/api/v1/calendar/due-date"


@pytest.mark.parametrize(
    "params, due",
    [
        # Mon 10:00 + 3 working days → Thu 10:00
        (
            {"start": "2026-03-02T10:00", "amount": "3", "kind": "working_days"},
            "2026-03-05T10:00:00+07:00",
        ),
        # 1 working day from Mon 07:30 ends at the close of Monday
        (
            {"start": "2026-03-02T07:30", "amount": "1", "kind": "working_days"},
            "2026-03-02T17:00:00+07:00",
        ),
        # Tết 2026: off 16/02–20/02 → Fri 13/02 10:00 + 1 day = Mon 23/02 10:00
        (
            {"start": "2026-02-13T10:00", "amount": "1", "kind": "working_days"},
            "2026-02-23T10:00:00+07:00",
        ),
        (
            {"start": "2026-03-02T10:00", "amount": "4", "kind": "working_hours"},
            "2026-03-02T15:30:00+07:00",
        ),
    ],
)
def test_due_date(client, db, params, due):
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    assert response.json()["due_at"] == due


def test_effective_start_moves_to_next_opening(client, db):
    data = client.get(
        URL, {"start": "2026-03-07T09:00", "amount": "1", "kind": "working_days"}
    ).json()
    assert data["start"] == "2026-03-07T09:00:00+07:00"
    assert data["effective_start"] == "2026-03-09T07:30:00+07:00"
    assert data["due_at"] == "2026-03-09T17:00:00+07:00"


@pytest.mark.parametrize(
    "params, message",
    [
        ({"amount": "1", "kind": "working_days"}, "Thiếu tham số: start"),
        (
            {"start": "hôm qua", "amount": "1", "kind": "working_days"},
            "không phải thời điểm hợp lệ",
        ),
        ({"start": "2026-03-02T10:00", "amount": "ba", "kind": "working_days"}, "không phải là số"),
        ({"start": "2026-03-02T10:00", "amount": "1", "kind": "weeks"}, "Loại thời hạn"),
        (
            {"start": "2026-03-02T10:00", "amount": "1", "kind": "days", "unit": "99999"},
            "Không có đơn vị",
        ),
        (
            {"start": "1900-01-01T10:00", "amount": "1", "kind": "days"},
            "Thời điểm tiếp nhận phải trong khoảng năm 1990 đến 2100.",
        ),
        ({"start": "2026-03-02T10:00", "amount": "-1", "kind": "days"}, "Thời hạn không được âm."),
    ],
)
def test_bad_input_is_400_in_vietnamese(client, db, params, message):
    response = client.get(URL, params)
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert message in detail
    assert detail and detail.isascii() is False  # a Vietnamese sentence, with diacritics


def test_unit_calendar_override_applies(client, world):
    world.binh_thanh.desk.calendar_overrides.create(date="2026-03-03", is_working_day=False)
    params = {"start": "2026-03-02T10:00", "amount": "1", "kind": "working_days"}
    assert client.get(URL, params).json()["due_at"] == "2026-03-03T10:00:00+07:00"
    params["unit"] = "05605"
    assert client.get(URL, params).json()["due_at"] == "2026-03-04T10:00:00+07:00"
