"""Request id, request log line, security headers, and service errors shown as pages."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from ipops.audit.context import new_request_id, request_id_scope
from ipops.errors import NotPermitted

logger = logging.getLogger("ipops.request")
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Gives every request an id (a proxy's X-Request-ID when it is well-formed), puts it on
    the response and into audit entries, and logs one line per request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else new_request_id()
        request.request_id = request_id  # type: ignore[attr-defined]
        started = time.perf_counter()
        with request_id_scope(request_id):
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        user = getattr(request, "user", None)
        logger.info(
            "request_id=%s method=%s path=%s status=%s user=%s duration_ms=%.1f",
            request_id,
            request.method,
            request.path,
            response.status_code,
            user.get_username() if user is not None and user.is_authenticated else "-",
            (time.perf_counter() - started) * 1000,
        )
        return response


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set: CSP and Permissions-Policy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = settings.CONTENT_SECURITY_POLICY
        if request.path.startswith("/api/docs"):
            # Swagger UI (served from django-ninja's own static files) sets inline styles.
            policy = policy.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
        response.setdefault("Content-Security-Policy", policy)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotPermitted):
            from ipops.portal.views import forbidden

            return forbidden(request, exception)
        return None


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Pages are Chinese unless the person chose English with the switch (a cookie): a
    browser's Accept-Language does not override the platform's language. Scripts calling
    the API may still ask for English with Accept-Language."""

    def process_request(self, request: HttpRequest) -> None:
        if request.path.startswith("/api/"):
            language = translation.get_language_from_request(request)
        else:
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
            language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
