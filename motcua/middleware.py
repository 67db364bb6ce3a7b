"""Request guards: refuse oversized requests before reading them (a 2 GB upload never reaches
the disk), turn a domain error that escapes a page into its 4xx page, put the security headers
on every answer; and what the debug page may show (no credential, even with ``DEBUG``)."""

from __future__ import annotations

import re

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.debug import SafeExceptionReporterFilter

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
            message = (
                f"Dữ liệu gửi lên quá lớn (tối đa {settings.MOTCUA_MAX_REQUEST_MB} MB mỗi lần "
                "gửi). Hãy giảm dung lượng tệp rồi gửi lại."
            )
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message, "code": "too_large"}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class RepeatedParameterMiddleware:
    """Under /api/ a query parameter comes once: ``?units=1&units=500`` is refused (400) rather
    than read as its last value (no API parameter takes several values; lists are comma-separated,
    ``state=received,in_review``). Everywhere, a query parameter with a NUL character is refused
    (400): no search or filter takes one, and PostgreSQL cannot compare text with it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.META.get("QUERY_STRING", "") or any(
            "\x00" in name or any("\x00" in v for v in values)
            for name, values in request.GET.lists()
        ):
            message = "Tham số trên địa chỉ có ký tự không hợp lệ."
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message, "code": "invalid"}, status=400)
            # before the session and the user are known (this runs first): a plain answer
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        if request.path.startswith("/api/"):
            repeated = [name for name, values in request.GET.lists() if len(values) > 1]
            if repeated:
                return JsonResponse(
                    {
                        "detail": f"Tham số “{repeated[0][:40]}” chỉ được gửi một lần "
                        "(nhiều giá trị: viết cách nhau bởi dấu phẩy).",
                        "code": "invalid",
                    },
                    status=400,
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


# Scripts only from our own files (no inline script in the templates); inline styles are
# allowed: a few templates carry style attributes and <style> blocks, and htmx adds its own.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    """The Content-Security-Policy of every page (Django's ``SecurityMiddleware`` sends HSTS,
    ``nosniff``, the referrer policy and COOP). A response that sets its own policy keeps it
    (a file served inline: ``sandbox``). In debug mode the policy is only reported: Django's
    debug pages are made of inline scripts and styles."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            header = "Content-Security-Policy"
            if settings.DEBUG:
                header += "-Report-Only"
            response.headers.setdefault(header, CONTENT_SECURITY_POLICY)
        return response


# user:password@ in any URL-looking value: the password goes, the rest stays readable
URL_PASSWORD = re.compile(r"(?P<head>[a-z][a-z0-9+.\-]*://[^\s:/@]*:)[^\s@/]*@", re.IGNORECASE)


def mask_url_passwords(text: str) -> str:
    return URL_PASSWORD.sub(rf"\g<head>{SafeExceptionReporterFilter.cleansed_substitute}@", text)


class CredentialFilter(SafeExceptionReporterFilter):
    """What the debug page and the error e-mails show (``DEFAULT_EXCEPTION_REPORTER_FILTER``):
    besides Django's names (KEY, PASS, SECRET, TOKEN…), every setting and environment
    variable whose name speaks of a URL, a database, a DSN, a credential, an authentication or
    a passphrase is hidden, and the password inside any URL anywhere is masked
    (``postgres://motcua:********@db/motcua``)."""

    hidden_settings = re.compile(
        "API|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|URL|DATABASE|DSN|CREDENTIAL|AUTH",
        flags=re.IGNORECASE,
    )

    def cleanse_setting(self, key, value):
        value = super().cleanse_setting(key, value)
        return mask_url_passwords(value) if isinstance(value, str) else value

    def get_post_parameters(self, request):
        # the token endpoint's form has no sensitive_post_parameters: hide by name, as settings
        parameters = super().get_post_parameters(request)
        hidden = [name for name in parameters if self.hidden_settings.search(name)]
        if not hidden or not hasattr(parameters, "copy"):
            return parameters
        cleansed = parameters.copy()
        for name in hidden:
            cleansed[name] = self.cleansed_substitute
        return cleansed

    def get_traceback_frame_variables(self, request, tb_frame):
        return [
            (name, mask_url_passwords(value) if isinstance(value, str) else value)
            for name, value in super().get_traceback_frame_variables(request, tb_frame)
        ]
