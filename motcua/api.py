"""API v1 wiring: the router, the Vietnamese error handler, shared helpers (the token
endpoint)."""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from django.views import defaults
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, parsers, permissions, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ErrorDetail
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from motcua.accounts import mfa, tokens
from motcua.core.errors import DomainError
from motcua.parsers import JSONParser
from motcua.units.tokens import TokenAuthentication

MESSAGES = {
    tokens.TokenExpired: ("token_expired", tokens.EXPIRED),
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
        fields = vietnamese_errors(response.data)
        response.data = {"detail": INVALID, "code": "invalid", "fields": fields}
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


# --- DRF's own validation messages in Vietnamese -------------------------------------------
# DRF's Vietnamese catalogue has only some of its messages; the others, by their English
# template (placeholders kept), are said here. A message still in English (pure ASCII) after
# that falls back to the generic one: the API never shows English to a person.
DRF_MESSAGES = {
    "This field is required.": "Trường này là bắt buộc.",
    "This field may not be null.": "Trường này không được để trống (null).",
    "This field may not be blank.": "Trường này không được để trống.",
    "Not a valid string.": "Cần một chuỗi ký tự.",
    "Ensure this field has no more than {max_length} characters.": "Tối đa {max_length} ký tự.",
    "Ensure this field has at least {min_length} characters.": "Tối thiểu {min_length} ký tự.",
    "Ensure this field has no more than {max_length} elements.": "Tối đa {max_length} phần tử.",
    "Ensure this field has at least {min_length} elements.": "Tối thiểu {min_length} phần tử.",
    "A valid integer is required.": "Cần một số nguyên.",
    "A valid number is required.": "Cần một số.",
    "Ensure this value is less than or equal to {max_value}.": "Giá trị tối đa là {max_value}.",
    "Ensure this value is greater than or equal to {min_value}.": (
        "Giá trị tối thiểu là {min_value}."
    ),
    "String value too large.": "Số quá dài.",
    "Ensure that there are no more than {max_digits} digits in total.": (
        "Tối đa {max_digits} chữ số."
    ),
    "Must be a valid boolean.": "Cần giá trị true hoặc false.",
    "Must be a valid UUID.": "Cần một mã UUID hợp lệ.",
    "Enter a valid email address.": "Địa chỉ thư điện tử không hợp lệ.",
    "Enter a valid URL.": "Địa chỉ URL không hợp lệ.",
    '"{input}" is not a valid choice.': "Giá trị không nằm trong các lựa chọn cho phép.",
    'Expected a list of items but got type "{input_type}".': "Cần một danh sách (mảng JSON).",
    'Expected a dictionary of items but got type "{input_type}".': "Cần một đối tượng JSON.",
    "Invalid data. Expected a dictionary, but got {datatype}.": (
        "Dữ liệu gửi lên phải là một đối tượng JSON."
    ),
    "This list may not be empty.": "Danh sách không được để trống.",
    "This dictionary may not be empty.": "Đối tượng không được để trống.",
    "Date has wrong format. Use one of these formats instead: {format}.": (
        "Ngày sai định dạng; dùng: {format}."
    ),
    "Datetime has wrong format. Use one of these formats instead: {format}.": (
        "Ngày giờ sai định dạng; dùng: {format}."
    ),
    "Expected a date but got a datetime.": "Cần ngày, không phải ngày giờ.",
    "Expected a datetime but got a date.": "Cần ngày giờ, không phải ngày.",
    "Datetime value out of range.": "Ngày giờ nằm ngoài khoảng cho phép.",
    'Invalid datetime for the timezone "{timezone}".': "Thời điểm không có ở múi giờ {timezone}.",
    "No file was submitted.": "Chưa gửi tệp.",
    "The submitted file is empty.": "Tệp gửi lên rỗng.",
    "The submitted data was not a file. Check the encoding type on the form.": (
        "Dữ liệu gửi lên không phải tệp; hãy gửi dạng multipart/form-data."
    ),
    "Ensure this filename has at most {max_length} characters (it has {length}).": (
        "Tên tệp tối đa {max_length} ký tự (đang có {length})."
    ),
    "Value must be valid JSON.": "Cần giá trị JSON hợp lệ.",
    "Invalid value.": "Giá trị không hợp lệ.",
}
FALLBACK = "Giá trị không hợp lệ."


def _pattern(template: str) -> re.Pattern:
    return re.compile(re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.*)", re.escape(template)) + "$")


_DRF_PATTERNS = [(_pattern(english), vietnamese) for english, vietnamese in DRF_MESSAGES.items()]


def in_vietnamese(text: str) -> str:
    """One of DRF's messages in Vietnamese (a message already Vietnamese is kept)."""
    for pattern, vietnamese in _DRF_PATTERNS:
        found = pattern.match(text)
        if found:
            return vietnamese.format(**found.groupdict())
    return FALLBACK if text.isascii() else text


def vietnamese_errors(errors):
    """A serializer's errors (nested dicts and lists of ErrorDetail), each said in Vietnamese."""
    if isinstance(errors, dict):
        return {key: vietnamese_errors(value) for key, value in errors.items()}
    if isinstance(errors, list):
        return [vietnamese_errors(value) for value in errors]
    return ErrorDetail(in_vietnamese(str(errors)), code=getattr(errors, "code", "invalid"))


# --- the token endpoint ---------------------------------------------------------------------

WRONG_CREDENTIALS = "Tên đăng nhập hoặc mật khẩu không đúng."
MFA_NEEDED = "Tài khoản có xác thực hai lớp: gửi kèm mã của ứng dụng xác thực trong trường otp."
MFA_WRONG = "Mã xác thực hai lớp không đúng hoặc đã dùng."
MFA_ENROL_FIRST = (
    "Tài khoản phải bật xác thực hai lớp: đăng nhập trên trang web để thiết lập trước."
)


class TokenSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField()
    otp = serializers.CharField(
        required=False, help_text="mã của ứng dụng xác thực hoặc một mã dự phòng (nếu có)"
    )


class IssuedTokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()


class TokenView(ObtainAuthToken):
    """``POST /api/v1/auth/token/`` (username, password, and ``otp`` — the app's code or a
    recovery code — for an official with a second factor → ``{"token", "expires_at"}``):
    DRF's view with the depth-limited JSON parser, the log-in throttle of every entry, a wrong
    password answered like every other error (``{"detail", "code"}``), and a token that expires
    (``motcua.accounts.tokens``). ``DELETE`` with the token revokes it."""

    parser_classes = (JSONParser, parsers.FormParser, parsers.MultiPartParser)

    def get_authenticators(self):
        if self.request is not None and self.request.method == "DELETE":
            return [TokenAuthentication()]
        return super().get_authenticators()

    def get_permissions(self):
        if self.request is not None and self.request.method == "DELETE":
            return [permissions.IsAuthenticated()]
        return super().get_permissions()

    @extend_schema(
        summary="Lấy mã truy cập API",
        auth=[],
        request=TokenSerializer,
        responses=IssuedTokenSerializer,
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            wrong = serializer.errors.get("non_field_errors", [])
            if any(getattr(e, "code", "") == "authorization" for e in wrong):
                raise DomainError(WRONG_CREDENTIALS, "wrong_credentials")
            raise exceptions.ValidationError(serializer.errors)
        user = serializer.validated_data["user"]
        if mfa.enrolled(user):
            code = str(request.data.get("otp", "") or "")
            if not code:
                raise DomainError(MFA_NEEDED, "mfa_required")
            if mfa.verify(user, code) is None:
                raise DomainError(MFA_WRONG, "mfa_wrong_code")
        elif mfa.required_for(user):
            raise DomainError(MFA_ENROL_FIRST, "mfa_required")
        token = tokens.issue(user)
        return Response({"token": token.key, "expires_at": tokens.expires_at(token)})

    @extend_schema(summary="Thu hồi mã truy cập API đang dùng", responses={204: None})
    def delete(self, request, *args, **kwargs):
        Token.objects.filter(user=request.user).delete()
        return Response(status=204)


obtain_token = TokenView.as_view()


# --- errors outside the views: an unknown address, a server error ---------------------------
# Under /api/ they answer in the API's error body, like every other error; pages keep theirs.


def page_not_found(request, exception):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Không tìm thấy.", "code": "not_found"}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "detail": "Lỗi máy chủ; lỗi đã được ghi lại, vui lòng thử lại sau.",
                "code": "server_error",
            },
            status=500,
        )
    return defaults.server_error(request)
