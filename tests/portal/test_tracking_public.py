"""What the citizen reads on the tracking page: a Vietnamese line for every event (never a code,
internal file steps summarised), and the sealed result, downloaded through the token only."""

import hashlib
import re
import unicodedata

import pytest
from django.core.cache import cache

from motcua.core.lifecycle import Action, EventKind
from motcua.demo import devca
from motcua.documents import signing
from motcua.documents.certificates import register_certificate, trust_authority, trust_roots
from motcua.portal.tracking import CITIZEN_LABELS, DIGITISED, RESULT_IN_PROGRESS, public_steps
from motcua.workflow import actions
from motcua.workflow.results import attach_result, seal_and_issue, sign_and_approve
from tests.dossiers.conftest import intake

VIETNAMESE_LETTER = re.compile(r"[à-ỹđ]", re.IGNORECASE)


@pytest.mark.parametrize("kind", [*Action, *EventKind], ids=str)
def test_every_event_kind_has_a_citizen_label(kind):
    label = CITIZEN_LABELS[kind]
    assert label != kind.value and "_" not in label
    assert unicodedata.is_normalized("NFC", label)
    assert VIETNAMESE_LETTER.search(label), label  # written in Vietnamese, with its diacritics


def test_the_table_has_no_stale_entries():
    assert set(CITIZEN_LABELS) == {k.value for k in Action} | {k.value for k in EventKind}


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()


@pytest.fixture(scope="module")
def pki():
    ca = devca.make_ca()
    return {
        "ca": ca,
        "leader": devca.issue(ca, "Lãnh Đạo Xã", "UBND xã Bình Thành"),
        "seal": devca.issue(ca, "Ủy ban nhân dân xã Bình Thành", "UBND xã Bình Thành"),
    }


def issued(staff, pki, procedure_code="2.001035", components=None):
    """A dossier received, reviewed, drafted, signed and sealed (the desk's real steps)."""
    trust_authority("CA thử nghiệm", pki["ca"].pem())
    register_certificate(
        unit=staff.binh_thanh, user=staff.leader, data=pki["leader"].pkcs12("ld"), passphrase="ld"
    )
    register_certificate(unit=staff.binh_thanh, data=pki["seal"].pkcs12("dau"), passphrase="dau")
    data = intake(procedure_code=procedure_code)
    if components is not None:
        data.components = components
    d = actions.create_draft(staff.specialist, staff.binh_thanh.desk, data)
    d = actions.perform(d.pk, staff.specialist, "receive")
    d = actions.perform(d.pk, staff.specialist, "start_review")
    attach_result(d.pk, staff.specialist)
    actions.perform(d.pk, staff.specialist, "submit_for_approval")
    sign_and_approve(d.pk, staff.leader, "ld")
    return seal_and_issue(d.pk, staff.clerk, "dau")  # the register's next number


@pytest.mark.django_db
def test_timeline_has_no_codes_and_summarises_file_steps(client, staff, pki):
    step = issued(staff, pki, "1.001193", ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"])
    kinds = list(step.dossier.events.order_by("seq").values_list("action", flat=True))
    assert {"attach_result", "sign_result", "seal_result"} <= set(kinds)
    labels = [s.label for s in public_steps(step.dossier)]
    assert labels.count(RESULT_IN_PROGRESS) == 1
    assert labels.count(DIGITISED) <= 1
    html = client.get(f"/tra-cuu/{step.dossier.tracking_token}/").content.decode()
    for code in kinds:
        assert code not in html, code
    assert "Lãnh đạo đã ký duyệt" in html and RESULT_IN_PROGRESS in html


@pytest.mark.django_db
def test_a_free_result_is_downloaded_through_the_token_and_verifies(client, staff, pki):
    step = issued(staff, pki, "1.001193", ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"])
    d = step.dossier
    page = client.get(f"/tra-cuu/{d.tracking_token}/").content.decode()
    link = f"/tra-cuu/{d.tracking_token}/ket-qua.pdf"
    number = step.file.document_number
    assert number and f'href="{link}"' in page and number in page
    assert 'action="/xac-thuc/"' in page and d.tracking_token in page
    pdf = b"".join(client.get(link).streaming_content)
    sealed = step.file
    assert hashlib.sha256(pdf).hexdigest() == sealed.sha256
    reports = signing.verify_pdf(pdf, trust_roots())
    assert len(reports) == 2 and all(r.ok and r.trusted for r in reports)
    # the verification form of the page, posted as the citizen's button does
    verified = client.post("/xac-thuc/", {"code": d.code, "token": d.tracking_token})
    assert f"Đây đúng là văn bản {number}" in verified.content.decode()
    # no other way in: a wrong token, or the officials' download without a login
    assert client.get("/tra-cuu/khong-co-ma-nay-abcdef/ket-qua.pdf").status_code == 404
    assert client.get(f"/ho-so/{d.pk}/tep/{sealed.pk}/").status_code in (302, 403)


@pytest.mark.django_db
def test_a_result_with_a_fee_waits_for_the_return(client, staff, pki):
    step = issued(staff, pki)  # 2.001035: 50.000 đồng
    d = step.dossier
    link = f"/tra-cuu/{d.tracking_token}/ket-qua.pdf"
    page = client.get(f"/tra-cuu/{d.tracking_token}/").content.decode()
    assert link not in page and "sau khi nộp phí, lệ phí" in page
    assert client.get(link).status_code == 404
    actions.perform(
        d.pk, staff.specialist, "return_result", actions.ActionInput(collected_by="Nguyễn Văn An")
    )
    assert client.get(link).status_code == 200


@pytest.mark.django_db
def test_no_result_before_it_is_issued(client, staff):
    d = actions.create_draft(staff.specialist, staff.binh_thanh.desk, intake())
    d = actions.perform(d.pk, staff.specialist, "receive")
    assert client.get(f"/tra-cuu/{d.tracking_token}/ket-qua.pdf").status_code == 404
    assert "Tải văn bản kết quả" not in client.get(f"/tra-cuu/{d.tracking_token}/").content.decode()


@pytest.mark.django_db
def test_the_rating_sentence_once_returned(client, staff):
    d = actions.create_draft(staff.specialist, staff.binh_thanh.desk, intake())
    by = {"approve": staff.leader, "issue": staff.clerk}
    for step in ("receive", "start_review", "submit_for_approval", "approve", "issue"):
        d = actions.perform(d.pk, by.get(step, staff.specialist), step)
    d = actions.perform(
        d.pk, staff.specialist, "return_result", actions.ActionInput(collected_by="Nguyễn Văn An")
    )
    url = f"/tra-cuu/{d.tracking_token}/"
    html = client.get(url).content.decode()
    assert f'/danh-gia/{d.tracking_token}/?kenh=qr">đánh giá mức độ hài lòng</a>' in html
