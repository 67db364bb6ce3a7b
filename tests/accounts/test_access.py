"""Every page and API call is scoped: an official sees only their unit."""

import pytest

from motcua.units.models import ConfigChange
from tests.factories import PASSWORD


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


@pytest.mark.django_db
class TestDeskPages:
    def test_official_sees_own_desk(self, client, world):
        login(client, world.specialist)
        response = client.get("/bo-phan/05605/")
        assert response.status_code == 200
        assert "chuyenvien" in response.content.decode()

    def test_official_is_refused_another_commune(self, client, world):
        login(client, world.specialist)
        response = client.get("/bo-phan/05611/")
        assert response.status_code == 403
        assert "không có quyền" in response.content.decode()

    def test_anonymous_is_sent_to_login(self, client, world):
        response = client.get("/bo-phan/05605/")
        assert response.status_code == 302
        assert "/tai-khoan/dang-nhap/" in response["Location"]

    def test_overseer_sees_communes_of_own_province_only(self, client, world):
        login(client, world.overseer)
        assert client.get("/bo-phan/05605/").status_code == 200
        assert client.get("/bo-phan/05611/").status_code == 200
        assert client.get("/bo-phan/27700/").status_code == 403
        listing = client.get("/bo-phan/").content.decode()
        assert "05605" in listing and "05611" in listing and "27700" not in listing

    def test_overseer_is_read_only(self, client, world):
        login(client, world.overseer)
        response = client.post("/bo-phan/05605/lich/", {"date": "2026-12-31", "note": "x"})
        assert response.status_code == 403
        assert world.binh_thanh.desk.calendar_overrides.count() == 0

    def test_specialist_cannot_change_calendar_but_head_can(self, client, world):
        login(client, world.specialist)
        assert client.post("/bo-phan/05605/lich/", {"date": "2026-12-31"}).status_code == 403
        client.logout()
        login(client, world.head)
        response = client.post(
            "/bo-phan/05605/lich/", {"date": "2026-12-31", "note": "Nghỉ tổng kết năm"}
        )
        assert response.status_code == 302
        override = world.binh_thanh.desk.calendar_overrides.get()
        assert override.note == "Nghỉ tổng kết năm" and not override.is_working_day

    def test_head_cannot_change_another_commune(self, client, world):
        login(client, world.head)
        assert client.post("/bo-phan/05611/lich/", {"date": "2026-12-31"}).status_code == 403
        assert world.neighbour.desk.calendar_overrides.count() == 0

    def test_date_in_1900_is_refused_with_a_message(self, client, world):
        login(client, world.head)
        response = client.post("/bo-phan/05605/lich/", {"date": "1900-01-01"}, follow=True)
        assert "năm 2000 đến 2100" in response.content.decode()
        assert world.binh_thanh.desk.calendar_overrides.count() == 0


@pytest.mark.django_db
class TestDeskApi:
    def test_token_auth_and_own_unit(self, client, world):
        token = client.post(
            "/api/v1/auth/token/", {"username": "chuyenvien", "password": PASSWORD}
        ).json()["token"]
        auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
        response = client.get("/api/v1/units/05605/desk/", **auth)
        assert response.status_code == 200
        assert {s["username"] for s in response.json()["staff"]} == {"truongbp", "chuyenvien"}

    def test_cross_unit_api_is_refused(self, client, world):
        login(client, world.neighbour_specialist)
        response = client.get("/api/v1/units/05605/desk/")
        assert response.status_code == 403
        assert response.json()["detail"] == "Bạn không có quyền xem dữ liệu của đơn vị này."

    def test_anonymous_api_is_refused_in_vietnamese(self, client, world):
        response = client.get("/api/v1/units/05605/desk/")
        # 401, not 403: nobody is logged in, and the answer says how to authenticate
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"
        assert response.json()["detail"] == (
            "Bạn cần đăng nhập (hoặc gửi mã truy cập API) để dùng chức năng này."
        )

    def test_admin_sees_everything(self, client, world):
        login(client, world.admin)
        far = client.get("/api/v1/units/27700/desk/")
        assert far.status_code == 200
        data = far.json()
        # the Tây Ninh commune of the same name: its own code, desk and (no) staff
        assert (data["unit_code"], data["unit_name"], data["electronic_code"]) == (
            "27700",
            "Xã Bình Thành",
            "T.27700",
        )
        assert data["name"] == "Bộ phận Một cửa Xã Bình Thành" and data["staff"] == []
        home = client.get("/api/v1/units/05605/desk/").json()
        assert {s["username"] for s in home["staff"]} == {"truongbp", "chuyenvien"}

    def test_wrong_password_gives_no_token(self, client, world):
        response = client.post("/api/v1/auth/token/", {"username": "chuyenvien", "password": "x"})
        assert response.status_code == 400
        assert "token" not in response.json()


@pytest.mark.django_db
class TestOfficeHours:
    """The desk's office hours (Giờ làm việc), set by its head in HH:MM (docs/time.md)."""

    def test_head_sets_the_hours_and_the_change_is_logged(self, client, world):
        desk = world.binh_thanh.desk
        before = desk.office_hours
        login(client, world.head)
        response = client.post(
            "/bo-phan/05605/gio-lam-viec/", {"office_hours": "07:00-11:00, 13:30-17:30"}
        )
        assert response.status_code == 302
        desk.refresh_from_db()
        assert desk.office_hours == "07:00-11:00,13:30-17:30"
        change = ConfigChange.objects.get(kind=ConfigChange.Kind.OFFICE_HOURS)
        assert change.before == {"office_hours": before}
        assert change.after == {"office_hours": "07:00-11:00,13:30-17:30"}
        assert change.actor == world.head

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("07:30:30-11:30,13:00-17:00", "tính theo phút"),  # seconds: refused, not dropped
            ("7h30-11h30", "HH:MM-HH:MM"),
            ("11:30-07:30", "giờ bắt đầu phải trước giờ kết thúc"),
        ],
    )
    def test_hours_not_in_minutes_or_not_in_order_are_refused(self, client, world, text, message):
        desk = world.binh_thanh.desk
        before = desk.office_hours
        login(client, world.head)
        response = client.post("/bo-phan/05605/gio-lam-viec/", {"office_hours": text}, follow=True)
        assert response.status_code == 200
        assert message in response.content.decode()
        desk.refresh_from_db()
        assert desk.office_hours == before
        assert not ConfigChange.objects.filter(kind=ConfigChange.Kind.OFFICE_HOURS).exists()

    def test_specialist_cannot_set_the_hours(self, client, world):
        desk = world.binh_thanh.desk
        before = desk.office_hours
        login(client, world.specialist)
        response = client.post("/bo-phan/05605/gio-lam-viec/", {"office_hours": "08:00-12:00"})
        assert response.status_code == 403
        desk.refresh_from_db()
        assert desk.office_hours == before
