"""Satisfaction ratings (issue 14, item 1): one per dossier and channel, only once returned,
changeable for 7 days, who entered it recorded, each one an event of the sealed history; the
API, the citizen's page by the QR / message link, the desk's kiosk; bad input refused with
nothing stored."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.core.errors import DomainError
from motcua.core.ratings import Answer, check_answer, summarise
from motcua.dossiers.models import DossierEvent, Rating
from motcua.dossiers.ratings import rate_dossier
from tests.dossier_states import dossier_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def returned(staff):
    return dossier_in("returned", staff)


def api(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def post(client, code, body):
    return client.post(
        f"/api/v1/dossiers/{code}/ratings/", json.dumps(body), content_type="application/json"
    )


# --- the rules, by hand ---------------------------------------------------------------------


@pytest.mark.parametrize("level", [0, 6, -1, "5a", "", None, True, 2.5, "²"])
def test_a_level_outside_one_to_five_is_refused(level):
    with pytest.raises(DomainError) as refused:
        check_answer(level, {})
    assert refused.value.code == "invalid_rating"


@pytest.mark.parametrize(
    "criteria", [{"khong_co": 1}, {"attitude": 3}, {"attitude": -1}, {"attitude": True}]
)
def test_a_criterion_not_of_the_nine_or_not_scored_0_1_2_is_refused(criteria):
    with pytest.raises(DomainError):
        check_answer(5, criteria)


def test_the_summary_counts_by_hand():
    # 3 × level 5, 1 × 4, 1 × 3, 2 × 2, 1 × 1 = 8 ratings: satisfied 4 (50 %), dislikes 3
    levels = [5, 5, 5, 4, 3, 2, 2, 1]
    summary = summarise(Answer(level, {"attitude": 2 if level > 3 else 0}) for level in levels)
    assert summary.count == 8 and summary.satisfied == 4 and summary.dislikes == 3
    assert summary.satisfied_share == 0.5
    assert summary.by_level == {5: 3, 4: 1, 3: 1, 2: 2, 1: 1}
    assert summary.criteria == {"attitude": 1.0}  # (4 × 2 + 4 × 0) / 8


# --- the write --------------------------------------------------------------------------------


def test_an_official_enters_a_rating_through_the_api(client, staff, returned):
    answer = post(
        api(client, staff.specialist),
        returned.code,
        {"level": 4, "criteria": {"attitude": 2, "total_time": 1}},
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["level"] == 4 and body["level_label"] == "Hài lòng"
    assert body["channel"] == "official" and body["entered_by"] == "official"
    assert body["official"] == staff.specialist.username
    event = DossierEvent.objects.filter(dossier=returned).order_by("-seq").first()
    assert event.action == "rate" and event.data["level"] == 4
    assert event.actor == staff.specialist
    changed = post(client, returned.code, {"level": 5})  # the same channel again: a change
    assert changed.status_code == 200 and changed.json()["level_label"] == "Rất hài lòng"
    assert Rating.objects.count() == 1


def test_not_returned_is_a_409_and_stores_nothing(client, staff):
    dossier = dossier_in("done", staff)
    events = DossierEvent.objects.count()
    answer = post(api(client, staff.specialist), dossier.code, {"level": 5})
    assert answer.status_code == 409 and answer.json()["code"] == "not_returned"
    assert Rating.objects.count() == 0 and DossierEvent.objects.count() == events


@pytest.mark.parametrize(
    "body",
    [
        {"level": 9},
        {"level": "năm"},
        {"level": 5, "criteria": {"khong_co": 1}},
        {"level": 5, "criteria": {"attitude": 5}},
        {"level": 5, "criteria": [1, 2]},
        {"level": 5, "channel": "qr"},  # the citizen's own channels are not the API's
        {},
    ],
)
def test_bad_input_is_a_vietnamese_400_and_stores_nothing(client, staff, returned, body):
    events = DossierEvent.objects.count()
    answer = post(api(client, staff.specialist), returned.code, body)
    assert answer.status_code == 400, answer.content
    assert any(ord(ch) > 127 for ch in answer.json()["detail"])
    assert Rating.objects.count() == 0 and DossierEvent.objects.count() == events


def test_the_overseer_and_another_commune_cannot_rate(client, staff, returned):
    assert post(api(client, staff.overseer), returned.code, {"level": 5}).status_code == 403
    client.logout()
    other = post(api(client, staff.neighbour_specialist), returned.code, {"level": 5})
    assert other.status_code == 404
    assert Rating.objects.count() == 0


def test_one_rating_per_channel_changeable_for_seven_days(staff, returned):
    first = rate_dossier(returned.pk, "qr", 2)
    again = rate_dossier(returned.pk, "qr", 5)
    assert again.pk == first.pk and again.level == 5 and Rating.objects.count() == 1
    # another channel is another rating
    rate_dossier(returned.pk, "message", 3)
    assert Rating.objects.count() == 2
    Rating.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - timedelta(days=7, hours=1)
    )
    with pytest.raises(DomainError) as closed:
        rate_dossier(returned.pk, "qr", 1)
    assert closed.value.code == "rating_closed"
    assert Rating.objects.get(pk=first.pk).level == 5


def test_the_kiosk_and_on_behalf_channels_need_an_official_of_the_unit(staff, returned):
    with pytest.raises(DomainError):
        rate_dossier(returned.pk, "desk", 5)  # nobody logged in
    with pytest.raises(DomainError):
        rate_dossier(returned.pk, "official", 5, official=staff.neighbour_specialist)
    rating = rate_dossier(returned.pk, "desk", 5, official=staff.specialist)
    assert rating.entered_by == "citizen" and rating.official == staff.specialist


# --- the citizen's page and the kiosk ---------------------------------------------------------


def test_the_citizen_rates_by_the_qr_link_without_logging_in(client, returned):
    url = f"/danh-gia/{returned.tracking_token}/?kenh=qr"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Rất hài lòng" in html and "Tinh thần, thái độ của cán bộ, công chức" in html
    done = client.post(url, {"level": "5", "tieu-chi-attitude": "2"})
    assert done.status_code == 200 and "Cảm ơn ông/bà đã đánh giá" in done.content.decode()
    rating = Rating.objects.get()
    assert (rating.channel, rating.level, rating.criteria) == ("qr", 5, {"attitude": 2})
    assert rating.entered_by == "citizen" and rating.official is None
    by_message = client.post(f"/danh-gia/{returned.tracking_token}/?kenh=tin-nhan", {"level": "4"})
    assert by_message.status_code == 200 and Rating.objects.filter(channel="message").exists()


def test_the_citizens_page_refuses_before_the_return_and_for_a_wrong_token(client, staff):
    dossier = dossier_in("in_review", staff)
    url = f"/danh-gia/{dossier.tracking_token}/"
    assert "chưa trả kết quả" in client.get(url).content.decode()
    refused = client.post(url, {"level": "5"})
    assert refused.status_code == 409 and Rating.objects.count() == 0
    assert client.get("/danh-gia/khong-co-ma-nay/").status_code == 404


def test_the_kiosk_offers_the_dossier_just_returned_by_its_official(client, staff):
    client.login(username=staff.specialist.username, password=PASSWORD)
    assert "Xin kính chào" in client.get("/danh-gia/").content.decode()
    dossier = dossier_in("returned", staff)  # returned by the specialist
    panel = client.get("/danh-gia/quay/").content.decode()
    assert dossier.code in panel and "Mời ông/bà đánh giá" in panel
    thanks = client.post(f"/danh-gia/quay/{dossier.pk}/", {"level": "5"})
    assert "Cảm ơn ông/bà đã đánh giá" in thanks.content.decode()
    rating = Rating.objects.get()
    assert rating.channel == "desk" and rating.official == staff.specialist
    assert "Xin kính chào" in client.get("/danh-gia/quay/").content.decode()  # rated: waits


def test_the_kiosk_is_for_officials_only(client, staff):
    assert client.get("/danh-gia/").status_code == 302  # to the log-in
    client.login(username=staff.overseer.username, password=PASSWORD)
    assert client.get("/danh-gia/").status_code == 403


def test_the_return_message_and_the_tracking_page_link_to_the_rating(client, staff):
    from motcua.notifications.models import Notification

    dossier = dossier_in("returned", staff)
    link = f"/danh-gia/{dossier.tracking_token}/?kenh=tin-nhan"
    messages = Notification.objects.filter(dossier=dossier, kind="return_result")
    assert {m.channel for m in messages} == {"email", "sms"}
    assert all(link in m.body for m in messages)
    page = client.get(f"/tra-cuu/{dossier.tracking_token}/").content.decode()
    assert f"/danh-gia/{dossier.tracking_token}/?kenh=qr" in page


# --- 766 indicator 5.4 from the ratings -------------------------------------------------------


def test_indicator_5_4_counts_the_dossiers_rated_not_satisfied(staff):
    from decimal import Decimal

    from motcua.core import statistics as st
    from motcua.core.indicators import NO_DATA
    from motcua.reports.indicators import indicators_for
    from motcua.reports.queries import Scope

    year = st.period("year", timezone.localdate().year)
    four = [dossier_in("returned", staff) for _ in range(4)]  # all returned on time
    assert indicators_for(Scope(("05605",)), *year).get("5.4").na == NO_DATA  # no rating yet
    rate_dossier(four[0].pk, "qr", 2)  # not satisfied
    rate_dossier(four[1].pk, "qr", 1)  # not satisfied on one channel …
    rate_dossier(four[1].pk, "desk", 5, official=staff.specialist)  # … satisfied on another
    rate_dossier(four[2].pk, "message", 5)
    got = indicators_for(Scope(("05605",)), *year).get("5.4")
    # by hand: 4 handled, 0 late, 2 dossiers with a rating of level 1–2 → (4 − 2) / 4 = 50 %;
    # below the 90 % target: 50 / 90 × 6 points = 3.33
    assert (got.numerator, got.denominator) == (2, 4)
    assert (got.value, got.points) == (Decimal("50.00"), Decimal("3.33"))


def test_the_dashboard_shows_the_ratings_by_official_field_and_procedure(client, staff):

    first, second, third = (dossier_in("returned", staff) for _ in range(3))
    rate_dossier(first.pk, "qr", 5)
    rate_dossier(second.pk, "qr", 4)
    rate_dossier(third.pk, "qr", 1)
    client.login(username=staff.head.username, password=PASSWORD)
    html = client.get("/thong-ke/").content.decode()
    # by hand: 3 ratings, 2 satisfied (66,7 %), 1 not satisfied
    assert "3 lượt đánh giá" in html and "2 hài lòng hoặc rất hài lòng (66,7 %)" in html
    assert "Theo cán bộ giải quyết" in html and first.procedure_version.name in html


def test_the_receipt_slip_carries_a_qr_to_the_rating_page(staff, tmp_path):
    from motcua.dossiers.queries import rating_url, tracking_url
    from tests.factories import qr_codes_on_slip

    dossier = dossier_in("received", staff)
    found = set(qr_codes_on_slip(dossier, tmp_path))
    # read back by a second tool: the tracking QR and the rating QR, each its own address
    assert found == {tracking_url(dossier), rating_url(dossier, "qr")}
    assert rating_url(dossier, "qr").endswith(f"/danh-gia/{dossier.tracking_token}/?kenh=qr")


def test_the_xlsx_export_has_a_ratings_sheet(staff):
    import io

    from openpyxl import load_workbook

    from motcua.core import statistics as st
    from motcua.reports import exports
    from motcua.reports.queries import Scope

    for level in (5, 5, 2):
        rate_dossier(dossier_in("returned", staff).pk, "qr", level)
    data = exports.render(
        "xlsx", "05605", Scope(("05605",)), *st.period("year", timezone.localdate().year), "cohort"
    )
    sheet = load_workbook(io.BytesIO(data))["Mức độ hài lòng"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    total = next(r for r in rows if r[0] == "Tất cả hồ sơ tiếp nhận trong kỳ")
    # by hand: 3 ratings; levels 5, 4, 3, 2, 1 → 2, 0, 0, 1, 0; satisfied 2 / 3 = 66,7 %
    assert total[1:8] == [3, 2, 0, 0, 1, 0, 66.7]


def test_the_drafted_report_says_the_ratings(staff):
    from motcua.core import statistics as st
    from motcua.reports.drafting import draft_document
    from motcua.reports.queries import Scope

    for level in (5, 4, 4, 1):
        rate_dossier(dossier_in("returned", staff).pk, "qr", level)
    year = st.period("year", timezone.localdate().year)
    doc = draft_document(staff.binh_thanh, Scope(("05605",)), *year)
    text = " ".join(block.text for block in doc.body if block.text)
    assert "d) Về đánh giá mức độ hài lòng của người dân" in text
    # by hand: 4 ratings, 3 satisfied (75,0 %), 1 not satisfied
    assert (
        "Có 4 lượt người dân đánh giá việc giải quyết hồ sơ, trong đó 3 lượt hài lòng, rất hài "
        "lòng (đạt 75,0 %) và 1 lượt không hài lòng, rất không hài lòng." in text
    )
