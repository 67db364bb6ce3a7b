"""No internal code or developer note on any public page: every page a citizen can reach (home,
catalogue, each procedure of the demo catalogue, online submission, tracking in each state) is
read as a citizen reads it (text, placeholders, titles) and searched for what does not belong
there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.accounts.models import Role
from motcua.catalog.actions import import_procedures_file
from motcua.catalog.models import Procedure
from motcua.dossiers.models import Dossier
from motcua.workflow import actions
from tests import factories
from tests.dossiers.conftest import intake
from tests.portal.test_tracking_public import issued, pki  # noqa: F401 (fixture)
from tests.screen_text import findings

pytestmark = pytest.mark.django_db
DEMO = Path(__file__).resolve().parents[2] / "motcua" / "catalog" / "data" / "procedures_demo.csv"


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()


@pytest.fixture
def public(world, settings, tmp_path):
    settings.DATA_DIR = tmp_path  # the holding area of the posts below
    import_procedures_file(DEMO)
    world.leader = factories.user("lanhdao", world.binh_thanh, Role.LEADER)
    world.clerk = factories.user("vanthu", world.binh_thanh, Role.CLERK)
    return world


def dossiers_in_every_state(world, pki) -> list[Dossier]:  # noqa: F811
    desk, s = world.binh_thanh.desk, world.specialist
    code = "1.004873"  # Cấp Giấy xác nhận tình trạng hôn nhân

    def papers(code):
        return [c["name"] for c in Procedure.objects.get(code=code).current_version.components]

    components = papers(code)
    made = []

    def new():
        data = intake(procedure_code=code, components=components)
        return actions.create_draft(s, desk, data)

    made.append(actions.perform(new().pk, s, "receive"))
    d = actions.perform(new().pk, s, "receive")
    d = actions.perform(d.pk, s, "start_review")
    made.append(
        actions.perform(
            d.pk, s, "request_supplement", actions.ActionInput(note="Bản sao sổ hộ khẩu")
        )
    )
    d = actions.perform(new().pk, s, "receive")
    refusal = actions.ActionInput(note="Không đủ điều kiện")
    made.append(actions.perform(d.pk, world.head, "refuse", refusal))
    # 2.000950 Công nhận tổ trưởng tổ hòa giải: fully online, free, its result drafted here
    # (the civil-status results come signed from the Ministry of Justice's system instead)
    step = issued(world, pki, "2.000950", papers("2.000950"))
    made.append(step.dossier)
    made.append(
        actions.perform(
            step.dossier.pk, s, "return_result", actions.ActionInput(collected_by="Nguyễn Văn An")
        )
    )
    return made


def test_public_pages_speak_to_citizens(client, public, pki):  # noqa: F811
    pages: dict[str, str] = {}

    def get(url, **extra):
        response = client.get(url, **extra)
        assert response.status_code in (200, 404), (url, response.status_code)
        pages[url + (" (htmx)" if extra else "")] = response.content.decode()

    get("/")
    get("/thu-tuc/")
    get("/thu-tuc/?q=ket+hon")
    get("/thu-tuc/?q=khai+sinh", HTTP_HX_REQUEST="true")
    get("/thu-tuc/?q=khong+co+gi+ca")
    procedures = Procedure.objects.filter(is_active=True).select_related("current_version")
    for p in procedures:
        get(f"/thu-tuc/{p.code}/")
    get("/nop-truc-tuyen/")
    get("/nop-truc-tuyen/?q=khai+sinh")
    online = [p for p in procedures if p.current_version.is_online]
    for p in online:
        get(f"/nop-truc-tuyen/{p.code}/")
    # a submission with mistakes, then a good one, its code page, the done page
    bad = client.post(
        "/nop-truc-tuyen/1.001193/",
        {
            "applicant_name": "123",
            "applicant_id_number": "12",
            "applicant_birth_date": "1990-05-09",
        },
    )
    pages["/nop-truc-tuyen/1.001193/ (lỗi)"] = bad.content.decode()
    from tests.factories import pdf_bytes

    good = client.post(
        "/nop-truc-tuyen/2.001035/",
        {
            "applicant_name": "Đặng Thị Hoa",
            "applicant_id_number": "019190004321",
            "applicant_email": "hoa@example.vn",
            "file-0": SimpleUploadedFile("hop-dong.pdf", pdf_bytes(), "application/pdf"),
        },
    )
    confirm_url = good["Location"]
    get(confirm_url)
    online_draft = Dossier.objects.get(channel="online")
    get(f"/tra-cuu/{online_draft.tracking_token}/")
    from django.core import mail

    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    pages[confirm_url + " (đã nộp)"] = client.post(confirm_url, {"code": code}).content.decode()
    get("/tra-cuu/")
    pages["/tra-cuu/ (sai)"] = client.post(
        "/tra-cuu/", {"code": "T.05605-261125-9999", "phone": "0000"}
    ).content.decode()
    get("/tra-cuu/khong-co-ho-so-nay-1234/")
    for d in [online_draft, *dossiers_in_every_state(public, pki)]:
        get(f"/tra-cuu/{d.tracking_token}/")
    secrets = list(Dossier.objects.values_list("tracking_token", flat=True))
    assert len(pages) > 100  # every procedure page and form was read
    problems = [f for url, html in pages.items() for f in findings(url, html, secrets)]
    assert problems == [], "\n".join(problems[:40])


@pytest.mark.parametrize(
    "text, why",
    [
        ("Phí: None", "Python None"),
        ("bước attach_result", "snake_case identifier"),
        ("xem docs/reconciliation.md", "a path to the code"),
        ("Không thu (DVCQG: mức thu 0).", "the portal's acronym with a colon"),
        ("Miễn lệ phí (Luật Hộ tịch art.11)", "English article abbreviation"),
        ("Mức độ DVC: đây là đánh giá của nhóm phát triển", "the developers"),
        ("Nhap ho so tai day", "ASCII-only Vietnamese"),
        ("lỗi not_on_portal", "snake_case identifier"),
    ],
)
def test_the_scan_sees_each_kind_of_jargon(text, why):
    found = findings("/", f"<p>{text}</p>", [])
    assert any(f": {why}: " in f for f in found), found


def test_the_scan_reads_placeholders_but_not_links_or_tokens():
    html = '<input placeholder="tra cuu ho so"><a href="/x">https://a.vn/tra-cuu/ab_cd/</a> ab_cd'
    assert findings("/", html, ["ab_cd"]) and not findings("/", html.split("<a")[1], ["ab_cd"])


def test_footer_says_office_hours_in_words(client, public):
    # the desk's hours are stored "07:30-11:30,13:00-17:00"; people read a sentence
    html = client.get("/").content.decode()
    assert "Giờ làm việc: 07:30–11:30 và 13:00–17:00, từ thứ Hai đến thứ Sáu" in html
