"""No internal code or developer note on a staff screen: every page an official sees (the
worklist with each tab and filter, intake, a dossier in every state, the register, the
statistics with their periods and drill-down lists, reconciliation, the desk, certificates,
the error pages, the drafted report) is read as the official reads it, logged in as each role
of a demo-like commune, and searched with the patterns of the public scan
(tests/screen_text.py)."""

from __future__ import annotations

import re
import subprocess
import tempfile
import uuid
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import timezone

from motcua.catalog.actions import import_procedures_file
from motcua.catalog.models import Field, Procedure
from motcua.dossiers.models import Dossier
from motcua.integrations import actions as reconciliation
from motcua.workflow import actions
from motcua.workflow.results import attach_result, seal_and_issue, sign_and_approve
from tests import factories
from tests.dossiers.conftest import intake
from tests.portal.test_tracking_public import pki  # noqa: F401 (fixture)
from tests.screen_text import JARGON, citizen_text, findings

pytestmark = pytest.mark.django_db
DEMO = Path(__file__).resolve().parents[2] / "motcua" / "catalog" / "data" / "procedures_demo.csv"
MARRIAGE = "1.004873"  # Cấp Giấy xác nhận tình trạng hôn nhân (hộ tịch)
CERTIFY = "2.001035"  # Chứng thực hợp đồng, giao dịch (its result drafted in the app)
# Pages an official reaches from those read: the desk's own addresses (downloads, slips and
# the actions' POST addresses are not pages).
STAFF_PAGES = re.compile(
    r"^/(ho-so|thong-ke|bo-phan|doi-chieu|dong-bo-dvcqg|tai-khoan/chung-thu-so)/"
)
NOT_A_PAGE = re.compile(r"\.(pdf|xlsx|csv|docx)\b|/tai/|/tep/|/phieu/|xuat=|/thao-tac/")
# The public scan's patterns, with one exemption: officials name the national portal "Cổng
# DVCQG" in their own reports and in the portal's exports they reconcile, so the acronym may
# follow "Cổng" on a staff page; alone, or as "DVCQG:", it is still jargon.
STAFF_JARGON = {
    **JARGON,
    "the portal's acronym": re.compile(r"(?<!Cổng )\bDVCQG\b"),
}
# Shown on purpose: the intake search's hint shows how to type a name without diacritics.
ON_PURPOSE = ["ví dụ: khai sinh, chung thuc…"]


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") if tag == "a" else None
        if href:
            self.hrefs.append(href.replace("&amp;", "&"))


def links_of(url: str, html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    base = url.split("?")[0]
    out = []
    for href in parser.hrefs:
        if href.startswith("?"):
            href = base + href
        if STAFF_PAGES.match(href) and not NOT_A_PAGE.search(href):
            out.append(href)
    return out


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()


def papers(code: str) -> list[str]:
    return [c["name"] for c in Procedure.objects.get(code=code).current_version.components]


@pytest.fixture
def commune(world, settings, tmp_path, pki):  # noqa: F811
    """The demo's roles at Bình Thành and one dossier in every state of its life."""
    settings.DATA_DIR = tmp_path
    import_procedures_file(DEMO)
    w = factories.signing_roles(world, pki)
    desk, s = w.binh_thanh.desk, w.specialist

    def new(code=MARRIAGE, **more):
        data = intake(procedure_code=code, components=papers(code), **more)
        return actions.create_draft(s, desk, data)

    def received(code=MARRIAGE):
        return actions.perform(new(code).pk, s, "receive")

    def reviewed(code=MARRIAGE):
        return actions.perform(received(code).pk, s, "start_review")

    made = {"draft": new()}
    made["received"] = received()
    made["in_review"] = reviewed()
    made["supplement"] = actions.perform(
        reviewed().pk, s, "request_supplement", actions.ActionInput(note="Bản sao sổ hộ khẩu")
    )
    made["refused"] = actions.perform(
        received().pk, w.head, "refuse", actions.ActionInput(note="Không đủ điều kiện")
    )
    d = reviewed(CERTIFY)
    attach_result(d.pk, s)
    made["result_attached"] = Dossier.objects.get(pk=d.pk)
    d = reviewed(CERTIFY)
    attach_result(d.pk, s)
    made["awaiting_approval"] = actions.perform(d.pk, s, "submit_for_approval")
    d = reviewed(CERTIFY)
    attach_result(d.pk, s)
    actions.perform(d.pk, s, "submit_for_approval")
    made["signed"] = sign_and_approve(d.pk, w.leader, factories.LEADER_PASSPHRASE).dossier
    d = reviewed(CERTIFY)
    attach_result(d.pk, s)
    actions.perform(d.pk, s, "submit_for_approval")
    sign_and_approve(d.pk, w.leader, factories.LEADER_PASSPHRASE)
    made["issued"] = seal_and_issue(d.pk, w.clerk, "dau").dossier
    d = reviewed(CERTIFY)
    attach_result(d.pk, s)
    actions.perform(d.pk, s, "submit_for_approval")
    sign_and_approve(d.pk, w.leader, factories.LEADER_PASSPHRASE)
    seal_and_issue(d.pk, w.clerk, "dau")
    made["returned"] = actions.perform(
        d.pk, s, "return_result", actions.ActionInput(collected_by="Nguyễn Văn An")
    )
    # one overdue: received a while ago, its due moment passed
    late = received()
    factories.set_fields(late, due_at=timezone.now() - timedelta(days=2))
    made["overdue"] = late
    w.dossiers = {k: Dossier.objects.get(pk=v.pk) for k, v in made.items()}
    return w


def reconciliation_import(w, tmp_path):
    """The portal's export of our dossiers (one of them with another status)."""
    rows = [
        "Mã hồ sơ,Mã TTHC,Ngày tiếp nhận,Ngày hẹn trả,Ngày kết thúc xử lý,TRẠNG THÁI,Đã số hoá,Kênh"
    ]
    for i, d in enumerate(Dossier.objects.exclude(code="").exclude(code__isnull=True)):
        got = timezone.localtime(d.received_at)
        due = timezone.localtime(d.due_at)
        status = "Đang xử lý" if i else "Đã trả kết quả"
        rows.append(
            f"{d.code},{MARRIAGE},{got:%d/%m/%Y %H:%M},{due:%d/%m/%Y %H:%M},,{status},không,1"
        )
    portal = tmp_path / "portal.csv"
    portal.write_text("\n".join(rows) + "\n", encoding="utf-8")
    today = timezone.localdate()
    return reconciliation.import_reconciliation(
        w.specialist, w.binh_thanh, today - timedelta(days=30), today, portal
    )


def pdf_text(data: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        return subprocess.run(
            ["pdftotext", handle.name, "-"], capture_output=True, text=True, check=True
        ).stdout


def test_staff_pages_speak_to_officials(client, commune, tmp_path):
    w = commune
    imported = reconciliation_import(w, tmp_path)
    civil_field = Field.objects.get(name="Hộ tịch").pk
    today = timezone.localdate()
    pages: dict[str, str] = {}
    statuses: dict[str, int] = {}

    def read(url: str) -> str:
        response = client.get(url)
        statuses[url] = response.status_code
        assert response.status_code in (200, 302, 403, 404), (url, response.status_code)
        if response.status_code == 302:
            return ""
        return response.content.decode()

    def seen(who: str, seeds: list[str]):
        """The seeds, then every staff page they link to (one step further)."""
        queue = list(seeds)
        followed = set()
        for depth in (0, 1):
            following = []
            for url in queue:
                if url in followed:
                    continue
                followed.add(url)
                html = read(url)
                pages[f"{who} {url}"] = html
                if depth == 0:
                    following += links_of(url, html)
            queue = following

    worklist = [
        "/ho-so/",
        *(f"/ho-so/?tab={tab}" for tab in ("mine", "others", "supplement", "collect")),
        "/ho-so/?q=nguyen+van+an",
        "/ho-so/?q=khong+co+ai",
        f"/ho-so/?linh_vuc={civil_field}",
        f"/ho-so/?thu_tuc={MARRIAGE}",
        "/ho-so/?trang_thai=in_review",
        "/ho-so/?kenh=online",
    ]
    dossiers = [f"/ho-so/{d.pk}/" for d in w.dossiers.values()]
    statistics = [
        "/thong-ke/",
        *(f"/thong-ke/?ky={kind}" for kind in ("month", "quarter", "half", "nine", "year")),
        f"/thong-ke/?ky=year&nam={today.year - 1}",
        f"/thong-ke/?tu={date(today.year, 1, 1):%d/%m/%Y}&den={today:%d/%m/%Y}",
        "/thong-ke/?tu=31/12/2020&den=01/01/2020",  # the wrong way round: a message
    ]
    common = [
        "/ho-so/so-theo-doi/",
        f"/ho-so/so-theo-doi/?thang={today:%Y-%m}",
        "/bo-phan/",
        "/bo-phan/05605/",
        "/tai-khoan/chung-thu-so/",
        "/doi-chieu/",
        "/doi-chieu/05605/",
        f"/doi-chieu/05605/{imported.pk}/",
        "/thong-ke/loi-van/05605/",
        "/dong-bo-dvcqg/",
        "/dong-bo-dvcqg/ma-so/",
        f"/ho-so/{uuid.uuid4()}/",  # 404
        "/ho-so/khong-co-trang-nay/",  # 404
        "/bo-phan/05611/",  # another commune's desk: 403
    ]
    roles = {
        "specialist": (w.civil, [*worklist, "/ho-so/tiep-nhan/", f"/ho-so/tiep-nhan/{MARRIAGE}/"]),
        "desk": (
            w.specialist,
            [
                *worklist,
                "/ho-so/tiep-nhan/",
                "/ho-so/tiep-nhan/?q=ket+hon",
                f"/ho-so/tiep-nhan/{CERTIFY}/",
            ],
        ),
        "leader": (w.leader, [*worklist, "/ho-so/tiep-nhan/"]),  # 403: a leader does not receive
        "clerk": (w.clerk, worklist),
        "head": (w.head, [*worklist, f"/ho-so/tiep-nhan/{MARRIAGE}/"]),
        "overseer": (w.overseer, ["/ho-so/", "/thong-ke/?don_vi=19", "/thong-ke/?don_vi=05605"]),
    }
    for who, (user, seeds) in roles.items():
        client.force_login(user)
        seen(who, seeds + dossiers + statistics + common)
    # an intake with a mistake, so the form shows its errors
    client.force_login(w.specialist)
    bad = client.post(f"/ho-so/tiep-nhan/{MARRIAGE}/", {"applicant_name": "123"})
    pages["desk intake (lỗi)"] = bad.content.decode()
    # the drafted report, as downloaded
    report = client.get("/thong-ke/tai/pdf/?don_vi=05605&ky=year")
    assert report["content-type"] == "application/pdf"
    drafted = pdf_text(report.content)
    assert "BÁO CÁO" in drafted, drafted[:300]

    assert 403 in statuses.values() and 404 in statuses.values()
    # each kind of page was read with something on it (the crawl followed the drill-downs)
    shown = [url for url, html in pages.items() if html]
    for kind in (
        "/thong-ke/ho-so/?",
        "/ho-so/so-theo-doi/",
        "/doi-chieu/05605/",
        "ly_do=",
        "/dong-bo-dvcqg/?ho_so=",
    ):
        assert any(kind in url for url in shown), kind
    assert len(pages) > 150, len(pages)  # every role read every kind of page
    secrets = list(Dossier.objects.values_list("tracking_token", flat=True))
    secrets += ON_PURPOSE
    problems = [
        f for url, html in pages.items() if html for f in findings(url, html, secrets, STAFF_JARGON)
    ]
    problems += findings("báo cáo PDF", f"<pre>{drafted}</pre>", [], STAFF_JARGON)
    assert problems == [], f"{len(problems)}:\n" + "\n".join(problems)


def test_every_state_is_read_on_the_dossier_page(client, commune):
    """The builder above does reach each state (else the scan would miss a page)."""
    states = {k: d.state for k, d in commune.dossiers.items()}
    assert states == {
        "draft": "draft",
        "received": "received",
        "in_review": "in_review",
        "supplement": "awaiting_supplement",
        "refused": "refused",
        "result_attached": "in_review",
        "awaiting_approval": "awaiting_approval",
        "signed": "awaiting_issue",
        "issued": "done",
        "returned": "returned",
        "overdue": "received",
    }
    client.force_login(commune.specialist)
    html = client.get(f"/ho-so/{commune.dossiers['signed'].pk}/").content.decode()
    assert "Hoàng Văn Thành" in citizen_text(html, [])  # the signer, read as text
