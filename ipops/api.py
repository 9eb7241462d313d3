"""The JSON API root: `/api/`, schema at `/api/openapi.json`, docs at `/api/docs`.

Each app contributes a router from its `api.py`; they call the same services and queries as
the pages, so the API and the UI can never disagree about who may do what.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from ipops import __version__
from ipops.accounts.api import router as accounts_router
from ipops.apitools import AUTH, error_body
from ipops.audit.api import router as audit_router
from ipops.corpus.api import router as corpus_router
from ipops.errors import ServiceError
from ipops.finance.api import router as finance_router
from ipops.landscape.api import router as landscape_router
from ipops.landscape.evaluation_api import router as evaluation_router
from ipops.market.api import router as market_router
from ipops.search.api import router as search_router
from ipops.valuation.api import router as valuation_router

api = NinjaAPI(
    title="ipops API",
    version=__version__,
    description=(
        "浦东知识产权运营服务平台 JSON API. Authenticate with `Authorization: Bearer <token>` "
        "(create one on the API tokens page or with `ipops createtoken`) or a signed-in browser "
        "session. Errors are `{code, message, details}`."
    ),
    auth=AUTH,
    urls_namespace="api",
)
api.add_router("/", accounts_router)
api.add_router("/audit", audit_router)
api.add_router("/", corpus_router)
api.add_router("/", search_router)
api.add_router("/", valuation_router)
api.add_router("/", landscape_router)
api.add_router("/", evaluation_router)
api.add_router("/", market_router)
api.add_router("/", finance_router)


@api.get("/", auth=None, include_in_schema=False, url_name="index")
def index(request: HttpRequest) -> dict[str, str]:
    """Where a person who opens /api/ in a browser learns what is here."""
    return {
        "name": api.title,
        "version": __version__,
        "docs": "/api/docs",
        "openapi": "/api/openapi.json",
    }


@api.get("/health", auth=None, tags=["platform"], summary="Liveness check")
def health(request: HttpRequest) -> dict[str, str]:
    return {"status": "ok", "version": __version__}


@api.exception_handler(ServiceError)
def _service_error(request: HttpRequest, error: ServiceError) -> HttpResponse:
    return api.create_response(
        request, error_body(error.code, error.message, error.details), status=error.http_status
    )


@api.exception_handler(NinjaValidationError)
def _validation_error(request: HttpRequest, error: NinjaValidationError) -> HttpResponse:
    details: dict[str, list[str]] = {}
    for problem in error.errors:
        location = ".".join(str(part) for part in problem.get("loc", ()))
        details.setdefault(location or "body", []).append(problem.get("msg", ""))
    body = error_body("invalid_input", _("Some fields are not valid."), details)
    return api.create_response(request, body, status=422)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    problem = getattr(request, "auth_problem", "")
    messages = {
        "invalid_token": _("The API token is unknown, revoked or expired."),
        "session_expired": _("Your session has expired. Sign in again."),
    }
    code = problem or "unauthenticated"
    message = messages.get(problem, _("Authentication required: send a bearer token."))
    return api.create_response(request, error_body(code, message), status=401)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    """django-ninja's own refusals (a body that is not JSON, …) in the API's error shape."""
    codes = {400: "bad_request", 403: "forbidden", 404: "not_found", 429: "throttled"}
    body = error_body(codes.get(error.status_code, "error"), error.message)
    return api.create_response(request, body, status=error.status_code)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    body = error_body("not_found", _("Not found, or not visible to you."))
    return api.create_response(request, body, status=404)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
    body = error_body("forbidden", _("You do not have permission to do this."))
    return api.create_response(request, body, status=403)
