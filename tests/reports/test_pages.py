"""The statistics dashboard, its drill-down and downloads: figures, access, Vietnamese."""

from __future__ import annotations

import pytest

from tests.reports import seed

YEAR = "tu=2023-01-01&den=2023-12-31"


@pytest.fixture
def seeded(world, catalogue):
    seed.build_seed("05605")
    return world


def test_dashboard_shows_the_seed_year_with_vietnamese_numbers(client, seeded):
    client.force_login(seeded.head)
    page = client.get(f"/thong-ke/?{YEAR}").content.decode()
    for text in ("3.834", "3.778", "98,5 %", "3.829", "99,9 %", "3.427", "402", "2.513/2.513"):
        assert text in page, text
    assert "<svg" in page and "Hồ sơ tiếp nhận theo tháng và kênh" in page


def test_every_number_leads_to_the_dossiers_behind_it(client, seeded):
    client.force_login(seeded.head)
    page = client.get(f"/thong-ke/ho-so/?don_vi=05605&{YEAR}&chi_so=in_progress").content.decode()
    assert "Đang giải quyết: 5 hồ sơ" in page
    assert page.count("T.05605-231229-") == 5  # the five received on the last working day
    late = client.get(f"/thong-ke/ho-so/?don_vi=05605&{YEAR}&chi_so=resolved_late")
    assert "Giải quyết quá hạn: 0 hồ sơ" in late.content.decode()
    flow = client.get(
        "/thong-ke/ho-so/?don_vi=05605&tu=2024-01-01&den=2024-03-31&cach=flow&chi_so=carried_over"
    ).content.decode()
    assert "Kỳ trước chuyển qua: 5 hồ sơ" in flow


def test_an_official_of_another_commune_sees_only_their_own(client, seeded):
    client.force_login(seeded.neighbour_specialist)
    page = client.get(f"/thong-ke/?don_vi=05605&{YEAR}").content.decode()
    assert "Xã Phú Đình" in page and "3.834" not in page
    drill = client.get(f"/thong-ke/ho-so/?don_vi=05605&{YEAR}&chi_so=received").content.decode()
    assert "T.05605-" not in drill


def test_the_province_overseer_sees_the_communes_rolled_up(client, seeded):
    client.force_login(seeded.overseer)
    page = client.get(f"/thong-ke/?don_vi=19&{YEAR}").content.decode()
    assert "Theo xã, phường" in page and "Xã Bình Thành" in page and "3.834" in page


def test_strangers_are_sent_to_log_in(client, seeded):
    response = client.get(f"/thong-ke/?{YEAR}")
    assert response.status_code == 302 and "/tai-khoan/" in response["Location"]


def test_csv_download_has_the_per_field_table(client, seeded):
    client.force_login(seeded.head)
    response = client.get(f"/thong-ke/tai/csv/?don_vi=05605&{YEAR}")
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "Tổng cộng" in text and "3834" in text and "Hộ tịch" in text


def test_api_gives_the_same_figures_to_the_unit_and_refuses_others(client, seeded):
    url = "/api/v1/reports/figures?unit=05605&from=2023-01-01&to=2023-12-31"
    anonymous = client.get(url)
    assert anonymous.status_code == 401
    assert anonymous.json()["detail"] == (
        "Bạn cần đăng nhập (hoặc gửi mã truy cập API) để dùng chức năng này."
    )
    client.force_login(seeded.head)
    data = client.get(url).json()
    assert (data["received"], data["online_rate"], data["resolved_early"]) == (3834, 98.5, 3427)
    assert client.get(url.replace("2023-01-01", "1900-01-01")).status_code == 400
    client.force_login(seeded.neighbour_specialist)
    assert client.get(url).status_code == 403
