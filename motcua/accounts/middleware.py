"""The session's guard (after django-otp's ``OTPMiddleware``): an idle or too old session is
ended, and an official who has a second factor, or must have one, gets nothing until it is
given (docs/security.md §6).

- **Idle**: no request for ``MOTCUA_SESSION_IDLE_MINUTES`` (15, what TCVN 14423:2026 §5.5.2.2 a
  suggests) ends the session; a session also ends ``MOTCUA_SESSION_MAX_HOURS`` (12) after the
  log-in, however busy.
- **Second factor**: a logged-in official not yet verified is sent to the code page (enrolled)
  or to the enrolment page (required, not enrolled); the API sees them as anonymous.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import reverse

from motcua.accounts import mfa

SEEN = "motcua_seen"
STARTED = "motcua_started"
# Save the last-seen time at most this often (a session write is a database write).
SEEN_EVERY = 60


class SessionGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            answer = self.guard(request, user)
            if answer is not None:
                return answer
        return self.get_response(request)

    def guard(self, request, user):
        session, now = request.session, int(time.time())
        started = session.setdefault(STARTED, now)
        seen = session.get(SEEN, now)
        idle = settings.MOTCUA_SESSION_IDLE_MINUTES * 60
        if now - seen > idle or now - started > settings.MOTCUA_SESSION_MAX_HOURS * 3600:
            logout(request)
            if is_api(request):
                request.user = AnonymousUser()
                return None
            messages.info(request, "Phiên làm việc đã hết hạn. Xin mời đăng nhập lại.")
            return redirect_to(request, "accounts:login")
        if now - seen >= SEEN_EVERY or SEEN not in session:
            session[SEEN] = now
        if user.is_verified():
            return None
        enrolled = mfa.enrolled(user)
        if not enrolled and not mfa.required_for(user):
            return None
        if is_api(request):
            request.user = AnonymousUser()
            return None
        if request.path in allowed_paths():
            return None
        return redirect_to(request, "accounts:mfa_verify" if enrolled else "accounts:mfa_setup")


def is_api(request) -> bool:
    return request.path.startswith("/api/")


def allowed_paths() -> set[str]:
    return {
        reverse("accounts:login"),
        reverse("accounts:logout"),
        reverse("accounts:mfa_verify"),
        reverse("accounts:mfa_setup"),
    }


def redirect_to(request, name: str):
    target = reverse(name)
    if request.method == "GET" and request.path != target:
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
    return redirect(target)
