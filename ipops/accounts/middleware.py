"""Tell an expired session apart from a visitor who never signed in."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse


class SessionExpiryMiddleware:
    """Sets `request.session_expired` when the browser sent a session cookie that no longer
    names a live session, so the sign-in page can say why the person is there."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        cookie = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        expired = False
        if cookie and not request.user.is_authenticated:
            request.session.get(SESSION_KEY)  # loads the session; an unknown key resets it
            expired = request.session.session_key is None
        request.session_expired = expired  # type: ignore[attr-defined]
        return self.get_response(request)
