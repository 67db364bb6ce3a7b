"""Feedback and petitions (issue 14, item 2): received at the desk, on the public page, through
the API; classified, assigned, asked, answered, published without personal data, rated by the
sender, reopened; each step one event; bad input refused with nothing stored; the deadlines
as counted by hand (tests/feedback/test_deadlines.py has the whole table)."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.accounts.models import Role, StaffRole, User
from motcua.core.errors import DomainError
from motcua.core.feedback import Rules
from motcua.core.localtime import LOCAL_TZ
from motcua.dossiers.models import PersonalDataAccess
from motcua.feedback.models import Feedback, FeedbackEvent, FeedbackFile
from motcua.notifications.models import Notification
from motcua.units.models import ConfigChange
from motcua.workflow import feedback as steps
from tests.dossier_states import dossier_in
from tests.factories import PASSWORD, pdf_bytes

pytestmark = pytest.mark.django_db

# Thursday 12/02/2026, the week before Tết: refuse by 23/02, ask by 26/02, answer by 12/03
BEFORE_TET = datetime(2026, 2, 12, 9, 30, tzinfo=LOCAL_TZ)

SAID = steps.FeedbackData(
    title="Chờ lâu ở quầy chứng thực",
    content=(
        "Tôi là Nguyễn Văn An, điện thoại 0912345678, chờ hai giờ mà không được hướng dẫn "
        "chứng thực bản sao."
    ),
    sender_name="Nguyễn Văn An",
    sender_phone="0912 345 678",
    sender_email="an.nguyen@example.vn",
    about="procedure",
)


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def received(staff, **extra) -> Feedback:
    return steps.receive_feedback(
        staff.binh_thanh, SAID, "desk", official=staff.specialist, received_at=BEFORE_TET, **extra
    )


def test_received_at_the_desk_with_its_deadlines_event_and_messages(staff):
    fb = received(staff)
    assert fb.code == "PA-05605-2026-0001"
    assert (fb.refuse_by, fb.ask_by, fb.handle_by) == (
        date(2026, 2, 23),
        date(2026, 2, 26),
        date(2026, 3, 12),
    )
    assert fb.sender_phone == "0912345678"
    assert list(fb.events.values_list("kind", flat=True)) == ["receive"]
    messages = Notification.objects.filter(feedback=fb)
    assert sorted(messages.values_list("channel", flat=True)) == ["email", "sms"]
    body = messages.get(channel="email").body
    assert "12/03/2026" in body and f"/phan-anh/{fb.token}/" in body
    assert received(staff).code == "PA-05605-2026-0002"


def test_a_province_sets_its_own_handling_time(staff):
    steps.set_rules(staff.admin, staff.province, Rules(handle=10))
    assert ConfigChange.objects.filter(kind="feedback_rules", unit=staff.province).count() == 1
    fb = received(staff)
    assert fb.handle_by == date(2026, 3, 5)  # ten working days, Tết skipped
    assert fb.refuse_by == date(2026, 2, 23)
    with pytest.raises(DomainError) as refused:
        steps.set_rules(staff.specialist, staff.province, Rules(handle=3))
    assert refused.value.code == "role_required"


def test_the_whole_way_to_a_published_answer_and_a_reopening(staff):
    fb = received(staff)
    steps.classify_feedback(staff.head, fb.pk, "staff", staff.specialist.pk)
    fb.refresh_from_db()
    assert (fb.status, fb.assignee, fb.classified_at is not None) == (
        "handling",
        staff.specialist,
        True,
    )
    steps.answer_feedback(staff.specialist, fb.pk, "Xã đã nhắc nhở cán bộ Nguyễn Văn An.")
    fb.refresh_from_db()
    assert fb.status == "answered" and fb.publish_by is not None
    # the public text comes without the sender's name and number, for the official to read
    assert "Nguyễn Văn An" not in fb.public_question and "0912345678" not in fb.public_question
    with pytest.raises(DomainError) as refused:
        steps.publish_feedback(staff.head, fb.pk, fb.content, fb.answer)
    assert refused.value.code == "personal_data"
    steps.publish_feedback(staff.head, fb.pk, fb.public_question, fb.public_answer)
    fb.refresh_from_db()
    assert fb.status == "published"
    steps.rate_answer(fb.pk, False)
    steps.reopen_feedback(fb.pk, "Tôi vẫn chưa được chứng thực.")
    fb.refresh_from_db()
    assert (fb.status, fb.reopened, fb.published_at, fb.satisfied) == ("handling", 1, None, False)
    kinds = list(fb.events.values_list("kind", flat=True))
    assert kinds == ["receive", "classify", "answer", "publish", "rate", "reopen"]


def test_asking_for_more_stops_the_clock_until_the_sender_answers(staff):
    fb = received(staff)
    steps.ask_for_more(staff.head, fb.pk, "Xin cho biết ngày, giờ ông/bà đến quầy.")
    fb.refresh_from_db()
    assert fb.status == "asking"
    steps.supplement_feedback(fb.pk, "Sáng thứ Năm 12/02, khoảng 9 giờ.")
    fb.refresh_from_db()
    assert fb.status == "received"
    assert fb.handle_by > date(2026, 3, 12)  # counted again from today's date
    assert Notification.objects.filter(feedback=fb, kind="feedback_ask").count() == 2


def test_who_may_do_what(staff):
    fb = received(staff)
    for user, step in [
        (staff.neighbour_specialist, lambda u: steps.answer_feedback(u, fb.pk, "Trả lời thử.")),
        (staff.specialist, lambda u: steps.classify_feedback(u, fb.pk, "staff")),
        (staff.specialist, lambda u: steps.refuse_feedback(u, fb.pk, "Không thuộc thẩm quyền.")),
        (staff.overseer, lambda u: steps.answer_feedback(u, fb.pk, "Trả lời thử.")),
    ]:
        with pytest.raises(DomainError) as refused:
            step(user)
        assert refused.value.status == 403
    steps.classify_feedback(staff.head, fb.pk, "staff", staff.head.pk)
    with pytest.raises(DomainError) as refused:  # given to the head, not to them
        steps.answer_feedback(staff.specialist, fb.pk, "Trả lời thử.")
    assert refused.value.status == 403
    with pytest.raises(DomainError) as refused:  # an official of another commune
        steps.classify_feedback(staff.head, fb.pk, "staff", staff.neighbour_specialist.pk)
    assert refused.value.code == "invalid_assignee"
    assert FeedbackEvent.objects.filter(feedback=fb).count() == 2


FAKE_PDF = b"MZ\x90\x00 this is a program, not a scan"


@pytest.mark.parametrize(
    ("fields", "files", "code"),
    [
        ({"noi_dung": ""}, [], "feedback_empty"),
        ({"noi_dung": " ... "}, [], "feedback_empty"),
        ({"dien_thoai": "", "thu_dien_tu": "", "dia_chi": ""}, [], "invalid_sender"),
        ({"ho_ten": "12345"}, [], "invalid_sender"),
        ({"thu_dien_tu": "khong-phai-thu"}, [], "invalid_sender"),
        ({"ma_ho_so": "KHONG-CO-000000-0001"}, [], "invalid_feedback"),
        ({"ma_ho_so": "A\x00B"}, [], "invalid_feedback"),
        ({}, [("giay-to.pdf", FAKE_PDF)], "file_refused"),
        ({}, [(f"{i}.pdf", pdf_bytes()) for i in range(4)], "invalid_feedback"),
    ],
)
def test_bad_input_on_the_public_page_is_refused_and_nothing_stored(
    client, staff, fields, files, code
):
    form = {
        "ho_ten": "Lê Thị Hoa",
        "dien_thoai": "0987654321",
        "noi_dung": "Giấy hẹn ghi sai ngày trả kết quả.",
        **fields,
    }
    form["tep"] = [SimpleUploadedFile(n, data) for n, data in files]
    response = client.post("/phan-anh/", form)
    assert response.status_code == 400
    assert "msg-error" in response.content.decode()
    assert not Feedback.objects.exists() and not FeedbackFile.objects.exists()
    with pytest.raises(DomainError) as refused:
        steps.receive_feedback(
            staff.binh_thanh,
            steps.FeedbackData(
                title="",
                content=form["noi_dung"],
                sender_name=form["ho_ten"],
                sender_phone=form["dien_thoai"],
                sender_email=form.get("thu_dien_tu", ""),
                sender_address=form.get("dia_chi", ""),
                dossier_code=form.get("ma_ho_so", ""),
            ),
            "web",
            files=[SimpleUploadedFile(n, data) for n, data in files],
        )
    assert refused.value.code == code
    assert not Notification.objects.exists()


def test_sent_on_the_public_page_followed_and_rated_by_its_sender(client, staff):
    dossier = dossier_in("returned", staff)
    response = client.post(
        "/phan-anh/",
        {
            "ho_ten": "Lê Thị Hoa",
            "thu_dien_tu": "hoa@example.vn",
            "noi_dung": "Kết quả trả muộn so với giấy hẹn.",
            "ma_ho_so": dossier.code,
            "tep": [SimpleUploadedFile("anh.pdf", pdf_bytes())],
        },
    )
    assert response.status_code == 200
    fb = Feedback.objects.get()
    assert (fb.source, fb.unit_id, fb.dossier, fb.about) == (
        "web",
        "05605",
        dossier,
        "procedure",
    )
    assert fb.files.get().mime_type == "application/pdf"
    page = client.get(f"/phan-anh/{fb.token}/").content.decode()
    assert "Chờ phân loại" in page and "Hạn trả lời" in page
    steps.answer_feedback(staff.head, fb.pk, "Xã xin lỗi, đã trả kết quả cho bà.")
    response = client.post(f"/phan-anh/{fb.token}/danh-gia/", {"hai_long": "1"})
    assert response.status_code == 302
    fb.refresh_from_db()
    assert fb.satisfied is True
    assert client.post(f"/phan-anh/{fb.token}/danh-gia/", {"hai_long": "x"}).status_code == 400
    assert client.get("/phan-anh/khong-co-ma-nay-dau-ca-abcdef/").status_code == 404


def test_the_desk_pages_show_the_countdown_and_run_the_steps(client, staff):
    fb = received(staff)
    # a province server has thousands of accounts: an id is never written "12.345" in a form
    big = User.objects.create_user(username="canbo12345", id=12345, unit=staff.binh_thanh)
    StaffRole.objects.create(user=big, role=Role.SPECIALIST)
    login(client, staff.head)
    assert 'value="12345"' in client.get(f"/ho-so/phan-anh/{fb.pk}/").content.decode()
    listing = client.get("/ho-so/phan-anh/").content.decode()
    assert fb.code in listing and "quá hạn" in listing  # 12/03/2026 is long past
    detail = client.get(f"/ho-so/phan-anh/{fb.pk}/").content.decode()
    assert "0912345678" in detail  # their own commune sees the contact, and it is logged
    # each showing of the page with the contact is logged: the one above and this one
    assert PersonalDataAccess.objects.filter(detail=f"Phản ánh {fb.code}").count() == 2
    response = client.post(
        f"/ho-so/phan-anh/{fb.pk}/buoc/phan-loai/", {"ve": "staff", "giao_cho": staff.head.pk}
    )
    assert response.status_code == 302
    # the worklist points to it: overdue, and given to the head
    work = client.get("/ho-so/").content.decode()
    assert "1 phản ánh chờ bạn xử lý" in work and "1 phản ánh quá hạn" in work
    client.post(f"/ho-so/phan-anh/{fb.pk}/buoc/tra-loi/", {"noi_dung": ""})
    fb.refresh_from_db()
    assert fb.status == "handling"  # an empty answer is refused on the page
    client.post(f"/ho-so/phan-anh/{fb.pk}/buoc/tra-loi/", {"noi_dung": "Đã chấn chỉnh."})
    fb.refresh_from_db()
    assert fb.status == "answered"
    login(client, staff.neighbour_specialist)
    assert client.get(f"/ho-so/phan-anh/{fb.pk}/").status_code == 404


def post_json(client, body):
    return client.post("/api/v1/feedback/", json.dumps(body), content_type="application/json")


def test_the_api_receives_and_lists_with_deadlines(client, staff):
    login(client, staff.specialist)
    response = post_json(
        client,
        {
            "content": "Niêm yết phí chứng thực chưa đúng.",
            "sender_name": "Hoàng Văn Nam",
            "sender_phone": "0903111222",
            "about": "regulation",
        },
    )
    assert response.status_code == 201, response.content
    item = response.json()
    assert item["status"] == "received" and item["deadlines"]["handle_by"]
    assert item["countdown"]["step"] == "handle" and item["countdown"]["working_days_left"] > 0
    received(staff)
    listing = client.get("/api/v1/feedback/").json()
    assert listing["count"] == 2
    overdue = client.get("/api/v1/feedback/?overdue=true").json()
    assert [r["code"] for r in overdue["results"]] == ["PA-05605-2026-0002"]
    assert overdue["results"][0]["countdown"]["late"] is True
    assert client.get("/api/v1/feedback/?status=nope").status_code == 400
    assert post_json(client, {"content": "", "sender_name": "A"}).status_code == 400
    assert (
        post_json(client, {"content": "Nội dung đủ dài", "sender_name": "Hoàng Văn Nam"}).json()[
            "code"
        ]
        == "invalid_sender"
    )
    assert Feedback.objects.count() == 2
    one = client.get(f"/api/v1/feedback/{item['code']}/").json()
    assert one["sender"]["phone"] == "0903111222"
    login(client, staff.overseer)  # the province reads it, masked
    assert client.get(f"/api/v1/feedback/{item['code']}/").json()["sender"]["phone"] != "0903111222"
    login(client, staff.neighbour_specialist)
    assert client.get(f"/api/v1/feedback/{item['code']}/").status_code == 404


def test_the_rules_from_the_command_line(staff, capsys):
    from django.core.management import CommandError, call_command

    call_command("feedback-rules", "--province", "19", "--handle", "10")
    assert "trả lời 10" in capsys.readouterr().out
    assert received(staff).handle_by == date(2026, 3, 5)
    assert ConfigChange.objects.get(kind="feedback_rules").after == [2, 5, 10, 2]
    with pytest.raises(CommandError):
        call_command("feedback-rules", "--province", "19", "--handle", "0")
    with pytest.raises(CommandError):  # a commune has no rules of its own
        call_command("feedback-rules", "--province", "05605", "--handle", "9")
