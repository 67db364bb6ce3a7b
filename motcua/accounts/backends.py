"""The log-in backend: Django's, behind the lock-out (``motcua.accounts.throttle``).

Every way in — the log-in page, the admin, the API's token endpoint, any later one — goes
through ``django.contrib.auth.authenticate``, so the check lives here and not in a view.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from motcua.accounts import throttle


class ThrottledModelBackend(ModelBackend):
    """A locked account or address is refused whatever the password (``PermissionDenied``
    stops ``authenticate`` from asking any other backend); a wrong password is counted."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        if throttle.login_locked_until(request, username) is not None:
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            throttle.record_login_failure(request, username)
        else:
            throttle.record_login_success(request, username)
        return user
