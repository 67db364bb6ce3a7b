"""After log-in each member of staff lands where their work is, sees the menu of their role,
and their own unit's name in the header (issue 10, item 8)."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def log_in(client, username):
    response = client.post(
        "/tai-khoan/dang-nhap/", {"username": username, "password": PASSWORD}, follow=True
    )
    return response.redirect_chain[-1][0], response.content.decode()


def test_an_official_lands_on_the_to_do_list_of_their_own_commune(client, staff):
    where, page = log_in(client, "chuyenvien")
    assert where == "/ho-so/" and "<h1>Việc của tôi</h1>" in page
    assert "Bộ phận Một cửa Xã Bình Thành" in page  # the brand: their own desk
    for item in (
        "Việc của tôi",
        "Tiếp nhận",
        "Sổ theo dõi",
        "Thống kê",
        "Đối chiếu",
        "Đồng bộ Cổng DVCQG",
    ):
        assert f">{item}</a>" in page
    assert ">Chứng thư số</a>" not in page  # a specialist signs nothing


def test_the_neighbouring_commune_sees_its_own_name(client, staff):
    _, page = log_in(client, "xakhac")
    assert "Bộ phận Một cửa Xã Phú Đình" in page and "Xã Bình Thành" not in page


def test_the_overseer_lands_on_the_province_figures_with_a_read_only_menu(client, staff):
    where, page = log_in(client, "tinh")
    assert where == "/thong-ke/?don_vi=19"
    assert "THEO DÕI CẤP TỈNH" in page and "Tỉnh Thái Nguyên" in page
    for absent in ("Việc của tôi", "Tiếp nhận", "Chứng thư số", "+ Tiếp nhận hồ sơ"):
        assert f">{absent}</a>" not in page
    assert ">Các xã</a>" in page and ">Thống kê</a>" in page


def test_a_leader_has_the_certificates_page(client, staff):
    _, page = log_in(client, "lanhdao")
    assert ">Chứng thư số</a>" in page and ">Tiếp nhận</a>" not in page
