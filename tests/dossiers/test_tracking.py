import re

import pytest
from django.core.cache import cache

from motcua.workflow import actions
from tests.dossiers.conftest import intake

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()


def received(world):
    draft = actions.create_draft(world.specialist, world.binh_thanh.desk, intake())
    return actions.perform(draft.pk, world.specialist, "receive")


def test_code_and_last_four_digits_show_the_dossier_without_personal_data(client, staff):
    d = received(staff)
    page = client.post("/tra-cuu/", {"code": d.code.lower(), "phone": "5678"})
    assert page.status_code == 200
    html = page.content.decode()
    assert d.code in html and "Bộ phận Một cửa tiếp nhận hồ sơ" in html
    assert "Hẹn trả kết quả" in html and "chưa cần làm gì" in html
    for personal in ("Nguyễn Văn An", "019085001234", "0912345678", "an@example.vn", "Nà Lẹng"):
        assert personal not in html


def test_wrong_phone_is_refused_with_the_same_message(client, staff):
    d = received(staff)
    unknown_code = "T.05605-261125-9999"
    wrong_phone = client.post("/tra-cuu/", {"code": d.code, "phone": "0000"})
    unknown = client.post("/tra-cuu/", {"code": unknown_code, "phone": "5678"})
    message = (
        '<div class="msg msg-error" role="alert">Không tìm thấy hồ sơ với mã và số điện thoại '
        "này. Vui lòng kiểm tra lại giấy hẹn.</div>"
    )
    for answer in (wrong_phone, unknown):
        assert answer.status_code == 400
        assert answer.content.decode().count(message) == 1

    def page_without(answer, code):
        # the two pages may differ only in the code typed (echoed back) and the CSRF token
        html = answer.content.decode().replace(f'value="{code}"', 'value="…"')
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    # nothing tells a guesser whether the code exists
    assert page_without(wrong_phone, d.code) == page_without(unknown, unknown_code)


def test_guessing_is_rate_limited(client, staff):
    d = received(staff)
    for _ in range(10):
        client.post("/tra-cuu/", {"code": d.code, "phone": "0000"})
    blocked = client.post("/tra-cuu/", {"code": d.code, "phone": "5678"})
    assert blocked.status_code == 429
    html = blocked.content.decode()
    # windows of ten minutes on the clock: the page says when the next one opens
    assert re.search(r"Vui lòng thử lại sau \d\d:[0-5]0\b", html), html
    assert "Bộ phận Một cửa" in html


def test_finding_one_s_own_dossier_is_never_limited(client, staff):
    d = received(staff)
    for _ in range(25):  # a family at a kiosk, or a citizen reloading the link of the message
        assert client.post("/tra-cuu/", {"code": d.code, "phone": "5678"}).status_code == 200
        assert client.get(f"/tra-cuu/{d.tracking_token}/").status_code == 200


def test_qr_token_and_next_step_for_a_supplement(client, staff):
    d = received(staff)
    actions.perform(d.pk, staff.specialist, "start_review")
    actions.perform(
        d.pk,
        staff.specialist,
        "request_supplement",
        actions.ActionInput(note="Bản sao sổ đỏ có chứng thực"),
    )
    html = client.get(f"/tra-cuu/{d.tracking_token}/").content.decode()
    assert "cần bổ sung hồ sơ: Bản sao sổ đỏ có chứng thực" in html
    assert client.get("/tra-cuu/khong-co-ma-nay/").status_code == 404
