"""The dossier page for the desk (issue 10, item 7): the applicant's details to call them, the
ID masked with a logged reveal, the forward step first, titles by state."""

from __future__ import annotations

import pytest

from motcua.dossiers.models import PersonalDataAccess
from motcua.workflow import actions
from tests.dossiers.conftest import intake

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(staff):
    return actions.receive_dossier(staff.specialist, staff.binh_thanh.desk, intake())


def test_the_desk_sees_how_to_reach_the_applicant(client, staff, dossier):
    client.force_login(staff.specialist)
    page = client.get(f"/ho-so/{dossier.pk}/").content.decode()
    assert "Nguyễn Văn An" in page and 'href="tel:0912345678"' in page
    assert 'href="mailto:an@example.vn"' in page and "Thôn Nà Lẹng, xã Bình Thành" in page
    assert "********1234" in page and "019085001234" not in page
    # the forward step comes first, as the big button
    assert page.index('data-action="start_review"') < page.index('data-action="request_supplement"')
    assert 'btn btn-primary btn-big" type="submit" data-action="start_review"' in page


def test_the_full_id_is_shown_on_request_and_the_showing_logged(client, staff, dossier):
    client.force_login(staff.specialist)
    shown = client.post(f"/ho-so/{dossier.pk}/xem-so-dinh-danh/", REMOTE_ADDR="10.0.0.7")
    assert shown.status_code == 200 and "019085001234" in shown.content.decode()
    # the ID's showing (the page shown with it also logs its contact data: what="contact")
    (log,) = PersonalDataAccess.objects.filter(what="id_number")
    assert (log.user, log.dossier_id, log.what, log.address) == (
        staff.specialist,
        dossier.pk,
        "id_number",
        "10.0.0.7",
    )
    assert "019085001234" not in client.get(f"/ho-so/{dossier.pk}/").content.decode()


def test_the_overseer_and_other_communes_never_see_it(client, staff, dossier):
    client.force_login(staff.overseer)
    assert "Xem số đầy đủ" not in client.get(f"/ho-so/{dossier.pk}/").content.decode()
    refused = client.post(f"/ho-so/{dossier.pk}/xem-so-dinh-danh/")
    assert refused.status_code == 403 and "019085001234" not in refused.content.decode()
    client.force_login(staff.neighbour_specialist)
    assert client.post(f"/ho-so/{dossier.pk}/xem-so-dinh-danh/").status_code == 403
    assert client.get(f"/ho-so/{dossier.pk}/xem-so-dinh-danh/").status_code == 405
    assert not PersonalDataAccess.objects.exists()


def test_an_online_dossier_is_titled_by_what_it_waits_for(client, staff):
    draft = actions.create_draft(None, staff.binh_thanh.desk, intake(channel="online"))
    actions.perform(draft.pk, None, "submit_online")
    client.force_login(staff.specialist)
    page = client.get(f"/ho-so/{draft.pk}/").content.decode()
    assert "<h1>Hồ sơ nộp trực tuyến — chờ tiếp nhận" in page and "Hồ sơ nháp" not in page
