"""Request guards: refuse oversized requests before reading them (a 2 GB upload never reaches
the disk), and turn a domain error that escapes a page into its 4xx page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render

from motcua.core.errors import DomainError, Kind


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MOTCUA_MAX_REQUEST_MB * 1024 * 1024:
            return HttpResponse(
                f"Dữ liệu gửi lên quá lớn (tối đa {settings.MOTCUA_MAX_REQUEST_MB} MB mỗi lần "
                "gửi). Hãy giảm dung lượng tệp rồi gửi lại.",
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


TITLES = {
    Kind.INVALID: "Yêu cầu không hợp lệ",
    Kind.FORBIDDEN: "Không có quyền truy cập",
    Kind.NOT_FOUND: "Không tìm thấy",
    Kind.CONFLICT: "Chưa thực hiện được",
}


class DomainErrorMiddleware:
    """A :class:`~motcua.core.errors.DomainError` that escapes a page becomes its 4xx page
    with the Vietnamese message (the API has its own handler, ``motcua.api``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError):
            return None
        return render(
            request,
            "error.html",
            {"title": TITLES[exception.kind], "message": exception.message},
            status=exception.status,
        )
