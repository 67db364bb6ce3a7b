"""The citizens' feedback pages: /phan-anh/ (send one; the answers the desk has published, with
personal data removed) and /phan-anh/<token>/ (the sender's own: where it stands with its
countdown, what the desk asks, the answer, "satisfied or not", raise it again). Bad input is
answered on the page with a 4xx and stores nothing."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from motcua.core.errors import DomainError
from motcua.core.feedback import ABOUT_LABELS, About, Status
from motcua.feedback import queries
from motcua.portal.context import home_desk
from motcua.portal.ratelimit import (
    blocked_until,
    count_failure,
    count_upload,
    upload_refused_until,
)
from motcua.portal.views_tracking import LIMIT, WINDOW
from motcua.workflow import feedback as steps
from motcua.workflow.forms import feedback_data

SENT_SCOPE = "feedback_sent"
NOT_FOUND = (
    "Không tìm thấy phản ánh theo đường dẫn này. Vui lòng mở lại đúng đường dẫn trong thư "
    "hoặc tin nhắn xác nhận."
)


def page_context(desk, **extra) -> dict:
    published = queries.published([desk.unit_id]) if desk else queries.published([])
    return {
        "desk": desk,
        "rules": queries.rules_for(desk.unit) if desk else None,
        "abouts": list(ABOUT_LABELS.items()),
        "published": Paginator(published, 10).get_page(extra.pop("page", None)),
        **extra,
    }


def feedback_page(request):
    """Gửi phản ánh, kiến nghị — and the answers already published."""
    desk = home_desk()
    if request.method != "POST":
        return render(
            request,
            "portal/feedback.html",
            page_context(desk, values={}, page=request.GET.get("trang")),
        )
    error, status = "", 400
    incoming = sum(f.size for f in request.FILES.getlist("tep"))
    hourly = settings.MOTCUA_FEEDBACK_PER_HOUR
    until = blocked_until(request, SENT_SCOPE, limit=hourly, window=3600)
    until = until or upload_refused_until(request, incoming)
    if desk is None:
        error = "Trang này chưa nhận phản ánh: đơn vị chưa lập Bộ phận Một cửa."
    elif until is not None:
        error = (
            "Máy này đã gửi nhiều phản ánh trong thời gian ngắn; xin gửi lại sau "
            f"{timezone.localtime(until):%H:%M}, hoặc gọi đường dây nóng của xã."
        )
        status = 429
    else:
        try:
            fb = steps.receive_feedback(
                desk.unit, feedback_data(request.POST), "web", files=request.FILES.getlist("tep")
            )
        except DomainError as exc:
            error, status = exc.message, exc.status
        else:
            count_failure(request, SENT_SCOPE, window=3600)
            count_upload(request, incoming)
            return render(request, "portal/feedback_sent.html", {"fb": fb, "desk": desk})
    return render(
        request,
        "portal/feedback.html",
        page_context(desk, values=request.POST, error=error),
        status=status,
    )


DONE = {
    "bo-sung": "Đã gửi thông tin bổ sung. Xã sẽ trả lời trong thời hạn mới ghi dưới đây.",
    "danh-gia": "Cảm ơn ông/bà đã cho biết ý kiến về câu trả lời.",
    "phan-anh-lai": "Đã gửi lại phản ánh. Xã sẽ xem xét và trả lời lại trong thời hạn dưới đây.",
}


def mine(request, token: str, *, error: str = "", status: int = 200):
    """The sender's page of their feedback."""
    until = blocked_until(request, "tracking", limit=LIMIT, window=WINDOW)
    fb = None if until is not None else queries.by_token(token)
    if fb is None:
        if until is None:
            count_failure(request, "tracking", window=WINDOW)
        return render(
            request, "portal/feedback_mine.html", {"error": NOT_FOUND}, status=429 if until else 404
        )
    today = timezone.localdate()
    return render(
        request,
        "portal/feedback_mine.html",
        {
            "fb": fb,
            "about": ABOUT_LABELS[About(fb.about)],
            "countdown": queries.countdown(fb, today),
            "answered": fb.status in (Status.ANSWERED, Status.PUBLISHED),
            "asking": fb.status == Status.ASKING,
            "question": fb.events.filter(kind="ask").last() if fb.status == Status.ASKING else None,
            "error": error,
            "done": DONE.get(request.GET.get("xong", "")) if not error else "",
        },
        status=status,
    )


@require_POST
def mine_step(request, token: str, name: str):
    fb = queries.by_token(token)
    if fb is None:
        return mine(request, token)
    post = request.POST
    run = {
        "bo-sung": lambda: steps.supplement_feedback(
            fb.pk, post.get("noi_dung", ""), request.FILES.getlist("tep")
        ),
        "danh-gia": lambda: steps.rate_answer(
            fb.pk, {"1": True, "0": False}.get(post.get("hai_long"))
        ),
        "phan-anh-lai": lambda: steps.reopen_feedback(fb.pk, post.get("noi_dung", "")),
    }.get(name)
    if run is None:
        return mine(request, token, error="Không có thao tác này.", status=404)
    try:
        run()
    except DomainError as exc:
        return mine(request, token, error=exc.message, status=exc.status)
    return redirect(f"{reverse('feedback_mine', args=[token])}?xong={name}")
