"""The commune's own online submission pages say where citizens submit: on the national portal
when the connector is configured (the pages stay, for an official helping at the desk), else
here, labelled as the commune's own pages."""

import pytest

from motcua.dossiers.models import Dossier
from tests.portal.test_online_form import PARTLY, person

pytestmark = pytest.mark.django_db
PAGES = ("/nop-truc-tuyen/", "/nop-truc-tuyen/1.001193/")


@pytest.mark.parametrize("address", PAGES)
def test_without_the_portal_the_pages_are_the_communes_own(client, staff, settings, address):
    settings.MOTCUA_DVCQG_URL = ""
    html = client.get(address).content.decode()
    assert "trang nộp hồ sơ trực tuyến riêng của Bộ phận Một cửa Xã Bình Thành" in html
    assert "không phải Cổng Dịch vụ công quốc gia" in html
    assert "dichvucong.gov.vn" not in html


@pytest.mark.parametrize("address", PAGES)
def test_with_the_portal_citizens_are_sent_there(client, staff, settings, address):
    settings.MOTCUA_DVCQG_URL = "https://cong.example.invalid"
    html = client.get(address).content.decode()
    assert "nộp hồ sơ trực tuyến trên Cổng Dịch vụ công quốc gia" in html
    assert 'href="https://dichvucong.gov.vn"' in html
    assert "chuyển về Bộ phận Một cửa Xã Bình Thành" in html
    assert "công chức Bộ phận Một cửa hỗ trợ" in html


def test_with_the_portal_the_form_still_works_for_an_assisted_submission(
    client, staff, settings, tmp_path
):
    settings.MOTCUA_DVCQG_URL = "https://cong.example.invalid"
    settings.DATA_DIR = tmp_path
    assert client.post(PARTLY, person()).status_code == 302
    assert Dossier.objects.get().channel == "online"
