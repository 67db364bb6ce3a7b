"""Digitisation metadata rules (pure): dates of issue, required fields, when a dossier counts."""

import unicodedata
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.documents.metadata import (
    MetadataError,
    clean_metadata,
    components_digitised,
    owner_key,
    parse_document_date,
)

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05/03/2024", date(2024, 3, 5)),
        ("5/3/2024", date(2024, 3, 5)),
        ("05-03-2024", date(2024, 3, 5)),
        (" 29.02.2024 ", date(2024, 2, 29)),
        ("01/01/1900", date(1900, 1, 1)),
        ("25/11/2026", TODAY),
    ],
)
def test_dates_are_read_day_first(text, expected):
    assert parse_document_date(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Cần ghi ngày ban hành"),
        ("2024-03-05", "không đúng dạng ngày/tháng/năm"),
        ("31/02/2024", "không có trên lịch"),
        ("29/02/2023", "không có trên lịch"),
        ("31/12/1899", "trước năm 1900"),
        ("26/11/2026", "ở sau hôm nay"),
    ],
)
def test_bad_dates_are_refused_in_vietnamese(text, message):
    with pytest.raises(MetadataError, match=message):
        parse_document_date(text, TODAY)


@given(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
def test_every_date_from_1900_to_today_round_trips(day):
    assert parse_document_date(f"{day:%d/%m/%Y}", TODAY) == day


@given(st.dates(min_value=TODAY + timedelta(days=1)) | st.dates(max_value=date(1899, 12, 31)))
def test_no_date_outside_1900_to_today_is_accepted(day):
    with pytest.raises(MetadataError):
        parse_document_date(day, TODAY)


def test_all_four_fields_are_required_and_normalised():
    with pytest.raises(MetadataError, match="Cần ghi loại giấy tờ, cơ quan ban hành"):
        clean_metadata(
            document_type="  ",
            document_number="12",
            document_date="01/02/2020",
            issuer="",
            today=TODAY,
        )
    decomposed = unicodedata.normalize("NFD", "Giấy khai sinh")  # as some keyboards type it
    assert decomposed != "Giấy khai sinh"
    meta = clean_metadata(
        document_type=f"  {decomposed}  ",
        document_number="12/2020",
        document_date="01/02/2020",
        issuer="UBND   xã Bình Thành",
        today=TODAY,
    )
    assert meta.document_type == unicodedata.normalize("NFC", "Giấy khai sinh")
    assert meta.issuer == "UBND xã Bình Thành" and meta.document_date == date(2020, 2, 1)


def test_a_dossier_counts_when_every_file_is_described_and_mandatory_ones_are_there():
    mandatory = {"Tờ khai", "Giấy chứng sinh"}
    assert not components_digitised([], mandatory)
    assert not components_digitised([], set())
    assert not components_digitised([("Tờ khai", True)], mandatory)
    assert not components_digitised([("Tờ khai", True), ("Giấy chứng sinh", False)], mandatory)
    assert components_digitised([("Tờ khai", True), ("Giấy chứng sinh", True)], mandatory)
    assert not components_digitised(
        [("Tờ khai", True), ("Giấy chứng sinh", True), ("Tờ khai", False)], mandatory
    )
    assert components_digitised([("Giấy tờ khác", True)], set())


def test_store_owner_is_a_citizen_id_or_a_tax_code():
    assert owner_key("person", "019 085 001 234") == ("person", "019085001234")
    assert owner_key("person", "01908500123") is None
    assert owner_key("person", "") is None
    assert owner_key("organisation", "0101234567-001") == ("organisation", "0101234567-001")
    assert owner_key("organisation", "019085001234") is None
