"""API v1 wiring: the router, the Vietnamese error handler, shared helpers."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

MESSAGES = {
    exceptions.NotAuthenticated: (
        "Bạn cần đăng nhập (hoặc gửi mã truy cập API) để dùng chức năng này."
    ),
    exceptions.AuthenticationFailed: "Thông tin đăng nhập hoặc mã truy cập API không đúng.",
    exceptions.NotFound: "Không tìm thấy.",
    exceptions.MethodNotAllowed: "Phương thức không được hỗ trợ.",
    exceptions.Throttled: "Bạn thao tác quá nhanh, vui lòng thử lại sau ít phút.",
}


def exception_handler(exc, context):
    """DRF errors with Vietnamese messages; Django's PermissionDenied keeps its own message."""
    if isinstance(exc, DjangoPermissionDenied):
        message = str(exc) or "Bạn không có quyền thực hiện thao tác này."
        return Response({"detail": message}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    for kind, message in MESSAGES.items():
        if isinstance(exc, kind):
            response.data = {"detail": message}
            break
    else:
        if (
            isinstance(exc, exceptions.PermissionDenied)
            and exc.detail == exceptions.PermissionDenied.default_detail
        ):
            response.data = {"detail": "Bạn không có quyền thực hiện thao tác này."}
    return response
