"""API v1 wiring: the router, the Vietnamese error handler, shared helpers."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from motcua.core.errors import DomainError

MESSAGES = {
    exceptions.NotAuthenticated: (
        "not_authenticated",
        "Bạn cần đăng nhập (hoặc gửi mã truy cập API) để dùng chức năng này.",
    ),
    exceptions.AuthenticationFailed: (
        "authentication_failed",
        "Thông tin đăng nhập hoặc mã truy cập API không đúng.",
    ),
    exceptions.NotFound: ("not_found", "Không tìm thấy."),
    exceptions.MethodNotAllowed: ("method_not_allowed", "Phương thức không được hỗ trợ."),
    exceptions.Throttled: ("throttled", "Bạn thao tác quá nhanh, vui lòng thử lại sau ít phút."),
    exceptions.UnsupportedMediaType: (
        "unsupported_media_type",
        "Kiểu dữ liệu gửi lên không được hỗ trợ.",
    ),
    exceptions.ParseError: (
        "invalid",
        "Dữ liệu gửi lên không đọc được (JSON hoặc biểu mẫu sai dạng).",
    ),
}
FORBIDDEN = "Bạn không có quyền thực hiện thao tác này."
INVALID = "Dữ liệu gửi lên chưa hợp lệ; xem chi tiết từng trường."


def exception_handler(exc, context):
    """Every API error as ``{"detail": <Vietnamese>, "code": <stable code>}`` (codes in
    docs/api.md): a domain error with the status of its kind (``motcua.core.errors``); DRF's
    own errors with Vietnamese messages (a serializer's field errors also under ``fields``);
    Django's PermissionDenied keeps its own message."""
    if isinstance(exc, DomainError):
        return Response(exc.as_json(), status=exc.status)
    if isinstance(exc, DjangoPermissionDenied):
        message = str(exc) or FORBIDDEN
        return Response({"detail": message, "code": "forbidden"}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": INVALID, "code": "invalid", "fields": response.data}
        return response
    for kind, (code, message) in MESSAGES.items():
        if isinstance(exc, kind):
            response.data = {"detail": message, "code": code}
            return response
    if isinstance(exc, exceptions.PermissionDenied):
        detail = str(exc.detail)
        if exc.detail == exceptions.PermissionDenied.default_detail:
            detail = FORBIDDEN
        response.data = {"detail": detail, "code": "forbidden"}
        return response
    detail = response.data.get("detail") if isinstance(response.data, dict) else None
    response.data = {
        "detail": str(detail or INVALID),
        "code": getattr(exc, "default_code", "invalid"),
    }
    return response
