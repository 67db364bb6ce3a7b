"""`motcua dvcqg pull-catalogue` against the FAKE portal: the portal's catalogue, written here
by hand with a few values other than ours (tests/fixtures/procedures_small.csv), gives exactly
those differences; nothing changes until one is accepted; an accepted one is a new version
with one configuration log row; a portal that cannot be reached is an error."""

from __future__ import annotations

import io
import socket
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.dvcqg import catalogue
from motcua.dvcqg.client import Connector
from motcua.units.models import ConfigChange

pytestmark = pytest.mark.django_db

# Ours (procedures_small.csv): 1.001193 khai sinh (not on the portal), 1.000894 kết hôn (on
# the portal under another code, identical), 2.000815 chứng thực bản sao (fee 2.000 đồng),
# 2.001035 chứng thực giao dịch (2 ngày làm việc, một phần).
PORTAL = [
    {
        "MaTTHC": "1.000894.000.00.00.H52",
        "TenTTHC": "Đăng ký kết hôn",
        "MaLinhVuc": "HT",
        "TenLinhVuc": "Hộ tịch",
        "ThoiHanGiaiQuyet": 0,
        "DonViThoiHan": "Ngày làm việc",
        "DanhSachLePhi": [],
        "MucDo": "Một phần",
        "CapThucHien": "Cấp xã",
    },
    {
        "MaTTHC": "2.000815",
        "TenTTHC": "Chứng thực bản sao từ bản chính giấy tờ",
        "MaLinhVuc": "CT",
        "TenLinhVuc": "Chứng thực",
        "ThoiHanGiaiQuyet": "0",
        "DonViThoiHan": "ngày làm việc",
        "DanhSachLePhi": [{"TenPhiLePhi": "Phí chứng thực", "Gia": "3.000", "LoaiPhiLePhi": "1"}],
        "MucDo": "3",
        "CapThucHien": "Cấp xã",
    },
    {
        "MaTTHC": "2.001035",
        "TenTTHC": (
            "Chứng thực giao dịch liên quan đến tài sản là động sản, quyền sử dụng đất, nhà ở"
        ),
        "MaLinhVuc": "CT",
        "TenLinhVuc": "Chứng thực",
        "ThoiHanGiaiQuyet": 3,
        "DonViThoiHan": "Ngày làm việc",
        "DanhSachLePhi": [{"TenPhiLePhi": "Phí chứng thực hợp đồng", "Gia": 50000}],
        "MucDo": "Toàn trình",
        "CapThucHien": "Cấp xã",
    },
    {
        "MaTTHC": "1.003583",
        "TenTTHC": "Cấp bản sao trích lục hộ tịch",
        "MaLinhVuc": "HT",
        "TenLinhVuc": "Hộ tịch",
        "ThoiHanGiaiQuyet": 0,
        "DonViThoiHan": "Ngày làm việc",
        "MucDo": "Toàn trình",
        "CapThucHien": "Cấp xã",
    },
]

# The differences, by hand: (procedure, what, ours, the portal's).
EXPECTED = [
    ("2.000815", "Phí, lệ phí", "2.000 đồng", "3.000 đồng"),
    ("2.001035", "Thời hạn giải quyết", "2 ngày làm việc", "3 ngày làm việc"),
    ("2.001035", "Mức độ dịch vụ công trực tuyến", "Một phần", "Toàn trình"),
]


@pytest.fixture
def portal(fake_portal, catalogue):
    Procedure.objects.filter(code="1.000894").update(portal_code="1.000894.000.00.00.H52")
    fake_portal.control("catalogue", procedures=PORTAL)
    return fake_portal


def pulled():
    connector = Connector()
    try:
        return catalogue.pull(connector)
    finally:
        connector.close()


def differences(result) -> list[tuple[str, str, str, str]]:
    return [
        (
            c.code,
            c.label,
            catalogue.value_text(c.attribute, c.ours),
            catalogue.value_text(c.attribute, c.theirs),
        )
        for c in result.comparison.changes
    ]


def run(*args) -> str:
    out = io.StringIO()
    call_command("dvcqg", "pull-catalogue", *args, stdout=out)
    return out.getvalue()


def catalogue_state() -> tuple:
    return (
        sorted(Procedure.objects.values_list("code", "current_version__number", "portal_code")),
        ProcedureVersion.objects.count(),
        ConfigChange.objects.count(),
    )


def test_the_differences_are_exactly_the_ones_written_in_the_portals_catalogue(portal):
    result = pulled()
    assert differences(result) == EXPECTED
    assert [p.code for p in result.comparison.only_ours] == ["1.001193"]
    assert [(p.code, p.name) for p in result.comparison.only_portal] == [
        ("1.003583", "Cấp bản sao trích lục hộ tịch")
    ]
    assert result.comparison.matched == 3


def test_the_command_prints_the_table_in_vietnamese_and_changes_nothing(portal):
    before = catalogue_state()
    text = run()
    assert catalogue_state() == before
    assert "3 thủ tục có trên cả hai, 2 thủ tục có khác biệt (3 nội dung)" in text
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert "Thủ tục Nội dung Phần mềm Một cửa Cổng DVCQG" in lines
    assert any(
        line.startswith("2.000815 Chứng thực bản sao") and line.endswith("2.000 đồng 3.000 đồng")
        for line in lines
    )
    assert any(line.endswith("2 ngày làm việc 3 ngày làm việc") for line in lines)
    assert "Chỉ có trong phần mềm Một cửa (1):" in lines
    assert "1.001193 Đăng ký khai sinh" in lines
    assert "Chỉ có trên Cổng DVCQG (1):" in lines
    assert "1.003583 Cấp bản sao trích lục hộ tịch" in lines
    assert "Chưa thay đổi gì." in text


def test_accepting_one_procedure_gives_it_the_portals_values_in_a_new_version(portal):
    changes_before = ConfigChange.objects.count()
    text = run("--accept", "2.001035")
    assert "Đã cập nhật theo Cổng DVCQG 1 thủ tục (2.001035)" in text
    p = Procedure.objects.select_related("current_version").get(code="2.001035")
    v = p.current_version
    assert (v.number, v.duration, v.duration_unit, v.online_level) == (
        2,
        Decimal(3),
        "working_days",
        "toan_trinh",
    )
    assert v.fee == 50000 and v.components == p.versions.get(number=1).components
    assert v.content_hash != p.versions.get(number=1).content_hash
    # the other procedure that differs is left as it was
    other = Procedure.objects.select_related("current_version").get(code="2.000815")
    assert (other.current_version.number, other.current_version.fee) == (1, 2000)
    log = ConfigChange.objects.order_by("-at", "-pk")
    assert ConfigChange.objects.count() == changes_before + 1
    row = log.first()
    assert (
        row.kind == ConfigChange.Kind.CATALOGUE and row.target == "Danh mục thủ tục trên Cổng DVCQG"
    )
    assert row.before == {
        "2.001035": {"duration": "2", "duration_unit": "working_days", "online_level": "mot_phan"}
    }
    assert row.after["values"] == {
        "2.001035": {"duration": "3", "duration_unit": "working_days", "online_level": "toan_trinh"}
    }
    assert row.note == "2.001035"
    # the next comparison no longer lists it
    assert differences(pulled()) == EXPECTED[:1]


def test_accept_all_applies_what_the_catalogue_can_hold_and_keeps_the_rest(portal):
    entries = [dict(e) for e in PORTAL]
    entries[0]["CapThucHien"] = "Cấp tỉnh"  # no such level in a commune's catalogue
    portal.control("catalogue", procedures=entries)
    text = run("--accept-all")
    assert "Đã cập nhật theo Cổng DVCQG 2 thủ tục (2.000815, 2.001035)" in text
    assert (
        "Giữ nguyên cấp thực hiện của 1.000894: Cổng DVCQG ghi “Cấp tỉnh” (phần mềm không có "
        "giá trị này)." in text
    )
    assert "Chưa thay đổi gì" not in text
    versions = dict(Procedure.objects.values_list("code", "current_version__number"))
    assert versions == {"1.001193": 1, "1.000894": 1, "2.000815": 2, "2.001035": 2}
    assert Procedure.objects.get(code="2.000815").current_version.fee == 3000


def test_accepting_a_procedure_without_differences_changes_nothing(portal):
    before = catalogue_state()
    with pytest.raises(CommandError, match=r"1\.001193 không có khác biệt nào"):
        run("--accept", "2.001035", "--accept", "1.001193")
    assert catalogue_state() == before


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_portal_that_cannot_be_reached_is_an_error_and_changes_nothing(
    portal, settings, catalogue
):
    settings.MOTCUA_DVCQG_URL = f"http://127.0.0.1:{free_port()}"
    before = catalogue_state()
    with pytest.raises(CommandError, match="Không kết nối được Cổng DVCQG"):
        run("--accept-all")
    assert catalogue_state() == before


def test_a_refused_log_in_is_an_error(portal, settings):
    settings.MOTCUA_DVCQG_PASSWORD = "sai-mat-khau"
    with pytest.raises(CommandError, match="Cổng DVCQG từ chối đăng nhập"):
        run()


def test_without_a_configured_portal_the_command_says_so(settings, catalogue):
    settings.MOTCUA_DVCQG_URL = ""
    with pytest.raises(CommandError, match="Chưa cấu hình Cổng DVCQG"):
        run()


def test_the_portals_field_names_are_configured_in_one_place(portal, settings):
    """A province whose portal names the duration ThoiGianGiaiQuyet says so once."""
    entries = [dict(e) for e in PORTAL]
    for entry in entries:
        entry["ThoiGianGiaiQuyet"] = entry.pop("ThoiHanGiaiQuyet")
    portal.control("catalogue", procedures=entries)
    assert differences(pulled()) == [EXPECTED[0], EXPECTED[2]]  # the duration is not read
    settings.MOTCUA_DVCQG_CATALOGUE_FIELDS = '{"duration": "ThoiGianGiaiQuyet"}'
    assert differences(pulled()) == EXPECTED
    settings.MOTCUA_DVCQG_CATALOGUE_FIELDS = '{"thoi_gian": "X"}'
    with pytest.raises(CommandError, match="Không có trường “thoi_gian”"):
        run()
