"""What every app's JSON API shares: authentication, the error shape, strict query strings.

Errors are always `{"code": ..., "message": ..., "details": {...}}`; scripts branch on `code`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from ipops.errors import InvalidInput, NotPermitted

PAGINATION_PARAMS = frozenset({"limit", "offset"})


class TokenAuth(HttpBearer):
    """`Authorization: Bearer ipops_…` — a token from the API tokens page or `ipops createtoken`."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from ipops.accounts.services import user_for_token

        user = user_for_token(token)
        if user is not None:
            request.user = user
        else:
            request.auth_problem = "invalid_token"  # type: ignore[attr-defined]
        return user


class CsrfFailed(NotPermitted):
    code = "csrf_failed"
    default_message = gettext_lazy(
        "CSRF check failed: send the X-CSRFToken header with a browser session, "
        "or use a bearer token."
    )


class BrowserSessionAuth(SessionAuth):
    """The signed-in browser session, with Django's CSRF check on unsafe methods."""

    def _get_key(self, request: HttpRequest) -> str | None:
        # django-ninja refuses a missing or wrong CSRF token with a bare HttpError; say what
        # happened in the API's own error shape, with the same code as the pages.
        try:
            return super()._get_key(request)
        except HttpError as error:
            raise CsrfFailed from error

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is None and getattr(request, "session_expired", False):
            request.auth_problem = "session_expired"  # type: ignore[attr-defined]
        return user


AUTH = [TokenAuth(), BrowserSessionAuth()]


def error_body(code: str, message: Any, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"code": code, "message": str(message), "details": details or {}}


def strict_query(allowed: Iterable[str]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Refuse query-string fields an endpoint does not know, instead of silently ignoring a
    typo like `?knid=bank` and returning everything."""
    known = frozenset(allowed) | PAGINATION_PARAMS

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            unknown = sorted(set(request.GET) - known)
            if unknown:
                raise InvalidInput(
                    _("Unknown query fields: %(fields)s.") % {"fields": ", ".join(unknown)},
                    code="unknown_query_field",
                    details={name: [_("Unknown field.")] for name in unknown}
                    | {"allowed": sorted(known)},
                )
            return view(request, *args, **kwargs)

        return checked

    return decorate


class ApiErrorShapeMiddleware:
    """django-ninja answers a wrong method with plain text; under /api/ every error must be
    `{code, message, details}`, so scripts never have to parse two shapes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code == 405
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            allowed = response.get("Allow", "")
            message = _("Method %(method)s is not allowed here; use %(allowed)s.") % {
                "method": request.method,
                "allowed": allowed,
            }
            json_response = JsonResponse(
                error_body("method_not_allowed", message, {"allowed": allowed.split(", ")}),
                status=405,
            )
            json_response["Allow"] = allowed
            return json_response
        return response
