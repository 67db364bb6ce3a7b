"""Refuse oversized requests before reading them (a 2 GB upload never reaches the disk)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse


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
