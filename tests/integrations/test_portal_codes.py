"""The mapping page (issue 11 item 1): the desk's agency code and the procedures' codes on the
national portal, the portal's catalogue fetched from the FAKE portal and matched by name with
diacritics ignored, saved by an action with one configuration-log row; who may; bad input and
a portal that does not answer said in Vietnamese, nothing changed."""

from __future__ import annotations

import re
import socket

import pytest

from motcua.catalog.models import Procedure
from motcua.units.models import ConfigChange, Desk

pytestmark = pytest.mark.django_db
PAGE = "/dong-bo-dvcqg/ma-so/"
OURS = ("1.001193", "2.000815", "1.000894", "2.001035")  # tests/fixtures/procedures_small.csv

# The portal's catalogue as a province's might read: its codes longer, its names in capitals
# or without diacritics.
PORTAL_CATALOGUE = [
    {"MaTTHC": "1.001193.000.00.00.H12", "TenTTHC": "ĐĂNG KÝ KHAI SINH", "MaLinhVuc": "HT"},
    {
        "MaTTHC": "2.000815.000.00.00.H12",
        "TenTTHC": "Chung thuc ban sao tu ban chinh giay to",
        "MaLinhVuc": "CT",
    },
    {"MaTTHC": "1.000894.000.00.00.H12", "TenTTHC": "Dang ky ket hon.", "MaLinhVuc": "HT"},
    {"MaTTHC": "1.004873.000.00.00.H12", "TenTTHC": "Cấp giấy phép xây dựng", "MaLinhVuc": "XD"},
]
# What an official should be offered, by hand: the two names that are the same words (100 %,
# ticked for them), and "dang ky ket hon" against "dang ky ket hon.": 2 × 15 / 31 = 96,8 %.
EXPECTED = {
    "1.001193": "1.001193.000.00.00.H12",
    "2.000815": "2.000815.000.00.00.H12",
    "1.000894": "1.000894.000.00.00.H12",
}


def codes() -> dict[str, str]:
    return dict(Procedure.objects.filter(code__in=OURS).values_list("code", "portal_code"))


def form(**changes) -> dict:
    """The procedures' form as the page posts it, with ``changes`` on top."""
    data = {"viec": "luu-ma-thu-tuc"}
    for code, portal in codes().items():
        data[f"ma-{code}"] = portal
        data[f"cu-{code}"] = portal
    data.update(changes)
    return data


def logged() -> list[ConfigChange]:
    return list(ConfigChange.objects.filter(kind=ConfigChange.Kind.PORTAL_CODES))


def test_anonymous_is_sent_to_log_in(client, staff):
    for answer in (client.get(PAGE), client.post(PAGE, form(**{"ma-1.001193": "X.1"}))):
        assert answer.status_code == 302 and "/tai-khoan/dang-nhap/" in answer["Location"]
    assert codes()["1.001193"] == ""


def test_officials_read_the_codes_and_only_the_administrator_changes_procedures(client, staff):
    client.force_login(staff.specialist)
    page = client.get(PAGE).content.decode()
    assert "Bộ phận Một cửa Xã Bình Thành" in page and "T.05605" in page
    assert "1.001193" in page and 'name="ma-1.001193"' not in page
    assert "Lấy danh sách thủ tục từ Cổng" not in page
    for user in (staff.specialist, staff.head, staff.overseer):
        client.force_login(user)
        assert client.post(PAGE, form(**{"ma-1.001193": "X.1"})).status_code == 403
        assert client.post(PAGE, {"viec": "lay-danh-sach"}).status_code == 403
    assert codes()["1.001193"] == "" and not logged()


def test_the_desk_code_is_for_its_head_or_an_administrator(client, staff):
    for user in (staff.specialist, staff.overseer):
        client.force_login(user)
        post = {"viec": "luu-ma-don-vi", "ma_don_vi": "000.00.24.H12", "don_vi": "05605"}
        assert client.post(PAGE, post).status_code == 403
    client.force_login(staff.neighbour_specialist)
    assert client.get(PAGE, {"don_vi": "05605"}).status_code == 403
    assert Desk.objects.get(unit_id="05605").portal_agency_code == "" and not logged()
    client.force_login(staff.head)
    client.post(PAGE, {"viec": "luu-ma-don-vi", "ma_don_vi": " 000.00.24.H12 "})
    assert Desk.objects.get(unit_id="05605").portal_agency_code == "000.00.24.H12"
    (log,) = logged()
    assert (log.unit_id, log.actor, log.before, log.after) == (
        "05605",
        staff.head,
        {"portal_agency_code": ""},
        {"portal_agency_code": "000.00.24.H12"},
    )
    # the electronic code typed back is the default again
    client.post(PAGE, {"viec": "luu-ma-don-vi", "ma_don_vi": "T.05605"})
    assert Desk.objects.get(unit_id="05605").portal_agency_code == ""


def test_a_bad_or_taken_desk_code_is_refused(client, staff):
    client.force_login(staff.admin)
    for bad, words in (
        ("000 00 24", "không dùng được trên Cổng DVCQG"),
        ("Mã-xã", "không dùng được trên Cổng DVCQG"),
        ("T.05611", "đã là mã trên Cổng DVCQG của Bộ phận Một cửa Xã Phú Đình"),
    ):
        answer = client.post(PAGE, {"viec": "luu-ma-don-vi", "ma_don_vi": bad, "don_vi": "05605"})
        assert answer.status_code == 400 and words in answer.content.decode()
    assert Desk.objects.get(unit_id="05605").portal_agency_code == "" and not logged()


def test_suggestions_from_the_portals_catalogue_match_by_name_without_diacritics(
    client, staff, fake_portal
):
    fake_portal.control("catalogue", procedures=PORTAL_CATALOGUE)
    client.force_login(staff.admin)
    answer = client.post(PAGE, {"viec": "lay-danh-sach", "don_vi": "05605"}, follow=True)
    page = answer.content.decode()
    assert "Cổng DVCQG có 4 thủ tục; 3 thủ tục của phần mềm có gợi ý mã." in page
    offered = dict(
        (ours, theirs)
        for ours in OURS
        for theirs in [p["MaTTHC"] for p in PORTAL_CATALOGUE]
        if f'name="goi-y-{ours}" value="{theirs}"' in page
    )
    assert offered == EXPECTED
    assert "ĐĂNG KÝ KHAI SINH" in page and "(giống 100,0 %)" in page
    assert "(giống 96,8 %)" in page
    ticked = set(re.findall(r'name="chon-([\d.]+)" value="1" checked', page))
    assert ticked == {"1.001193", "2.000815"}  # the exact ones; 96,8 % waits for a tick
    assert codes() == dict.fromkeys(OURS, "")  # nothing saved until confirmed


def test_confirmed_and_typed_codes_are_saved_with_one_log_row(client, staff, fake_portal):
    fake_portal.control("catalogue", procedures=PORTAL_CATALOGUE)
    client.force_login(staff.admin)
    client.post(PAGE, {"viec": "lay-danh-sach"})
    data = form(
        **{
            "chon-1.001193": "1",
            "goi-y-1.001193": "1.001193.000.00.00.H12",
            "goi-y-2.000815": "2.000815.000.00.00.H12",  # offered, not ticked
            "ma-1.000894": "1.000894.000.00.00.H12",
        }
    )
    answer = client.post(PAGE, data, follow=True)
    assert "Đã lưu mã trên Cổng DVCQG của 2 thủ tục." in answer.content.decode()
    assert codes() == {
        "1.001193": "1.001193.000.00.00.H12",
        "2.000815": "",
        "1.000894": "1.000894.000.00.00.H12",
        "2.001035": "",
    }
    (log,) = logged()
    assert log.unit_id is None and log.actor == staff.admin
    assert log.before == {"1.001193": "", "1.000894": ""}
    assert log.after == {
        "1.001193": "1.001193.000.00.00.H12",
        "1.000894": "1.000894.000.00.00.H12",
    }
    # the same form again changes nothing and logs nothing
    client.post(PAGE, form())
    assert len(logged()) == 1


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"ma-1.001193": "mã có dấu"}, "không dùng được trên Cổng DVCQG"),
        ({"ma-1.001193": "X" * 41}, "tối đa 40 ký tự"),
        ({"ma-1.001193": "1.000894"}, "đã gán cho thủ tục 1.000894"),
        ({"ma-1.001193": "9.9", "ma-2.000815": "9.9"}, "đã gán cho thủ tục"),
        ({"ma-9.999999": "9.9"}, "Không có thủ tục 9.999999 trong danh mục."),
        (
            {"chon-1.001193": "1", "goi-y-1.001193": "A.1", "ma-1.001193": "B.2"},
            "vừa chọn mã gợi ý A.1 vừa gõ mã B.2",
        ),
    ],
)
def test_bad_input_is_refused_and_nothing_changes(client, staff, changes, words):
    client.force_login(staff.admin)
    data = form(**{"ma-2.001035": "2.001035.000.00.00.H12", **changes})
    answer = client.post(PAGE, data)
    assert answer.status_code == 400 and words in answer.content.decode()
    assert codes() == dict.fromkeys(OURS, "") and not logged()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_portal_that_does_not_answer_is_said_in_vietnamese(client, staff, fake_portal, settings):
    client.force_login(staff.admin)
    fake_portal.control("fail", count=3, mode="http500")
    page = client.post(PAGE, {"viec": "lay-danh-sach"}, follow=True).content.decode()
    assert (
        "Chưa lấy được danh sách thủ tục của Cổng DVCQG: Cổng DVCQG trả lời lỗi HTTP 500." in page
    )
    fake_portal.control("fail", count=0)
    settings.MOTCUA_DVCQG_PASSWORD = "sai-mat-khau"
    page = client.post(PAGE, {"viec": "lay-danh-sach"}, follow=True).content.decode()
    assert "Cổng DVCQG từ chối đăng nhập" in page and "sai-mat-khau" not in page
    settings.MOTCUA_DVCQG_URL = f"http://127.0.0.1:{free_port()}"
    answer = client.post(PAGE, {"viec": "lay-danh-sach"}, follow=True)
    page = answer.content.decode()
    assert answer.status_code == 200 and "Không kết nối được Cổng DVCQG." in page
    assert "Error" not in page and "Errno" not in page
    settings.MOTCUA_DVCQG_URL = ""
    page = client.post(PAGE, {"viec": "lay-danh-sach"}, follow=True).content.decode()
    assert "Kết nối Cổng DVCQG chưa được bật trên máy chủ này" in page
    assert codes() == dict.fromkeys(OURS, "") and not logged()
