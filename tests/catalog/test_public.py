from pathlib import Path

import pytest

from motcua.catalog.actions import import_procedures_file

SMALL = Path(__file__).parent.parent / "fixtures" / "procedures_small.csv"


@pytest.fixture
def catalogue(db):
    import_procedures_file(SMALL)


@pytest.mark.parametrize(
    "query, expected",
    [
        ("khai sinh", {"1.001193"}),
        ("KHAI SINH", {"1.001193"}),
        ("Đăng ký", {"1.001193", "1.000894"}),
        ("dang ky", {"1.001193", "1.000894"}),
        ("dong san", {"2.001035"}),  # "d" finds "đ"
        ("chung thuc ban sao", {"2.000815"}),
        ("2.000815", {"2.000815"}),
        ("không có thủ tục này", set()),
    ],
)
def test_catalogue_search_ignores_diacritics_and_case(client, catalogue, query, expected):
    response = client.get("/api/v1/procedures/", {"q": query})
    assert response.status_code == 200
    assert {r["code"] for r in response.json()["results"]} == expected


def test_catalogue_page_lists_and_searches(client, catalogue):
    page = client.get("/thu-tuc/", {"q": "ket hon"}).content.decode()
    assert "Đăng ký kết hôn" in page
    assert "Đăng ký khai sinh" not in page


def test_catalogue_filters_by_field(client, catalogue):
    data = client.get("/api/v1/procedures/", {"field": "chung-thuc"}).json()
    assert data["count"] == 2
    assert {r["field"] for r in data["results"]} == {"Chứng thực"}


def test_procedure_api_detail(client, catalogue):
    data = client.get("/api/v1/procedures/2.001035/").json()
    assert data["fee"] == 50000
    assert data["duration"] == 2
    assert data["duration_unit"] == "working_days"
    assert data["online_level"] == "mot_phan"
    assert [c["name"] for c in data["components"]] == ["Dự thảo hợp đồng", "Giấy tờ tùy thân"]
    assert sum(step["share"] for step in data["process"]) == 100


def test_unknown_procedure_is_404_in_vietnamese(client, catalogue):
    response = client.get("/api/v1/procedures/9.999999/")
    assert response.status_code == 404
    assert response.json()["detail"] == "Không tìm thấy."
    assert client.get("/thu-tuc/9.999999/").status_code == 404


def test_procedure_page_shows_time_fee_components(client, catalogue):
    html = client.get("/thu-tuc/2.001035/").content.decode()
    assert "2 ngày làm việc" in html
    assert "50.000 đồng" in html
    assert "Dự thảo hợp đồng" in html
    assert "Văn thư vào số, đóng dấu, ban hành" in html


def test_home_page_is_vietnamese(client, catalogue):
    html = client.get("/").content.decode()
    assert '<html lang="vi">' in html
    assert "Thủ tục theo lĩnh vực" in html
    assert "Hộ tịch" in html


def test_openapi_schema_and_docs(client, db):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    body = schema.content.decode()
    assert "/api/v1/procedures/" in body
    assert "/api/v1/calendar/due-date" in body
    assert client.get("/api/docs/").status_code == 200
