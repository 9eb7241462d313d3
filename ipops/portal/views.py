"""The shell's own pages: home dashboards, help, health, and the error pages."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ipops.apitools import error_body
from ipops.errors import NotPermitted
from ipops.portal.dashboards import dashboard_for


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"dashboard": dashboard_for(request.user)})


@require_GET
def help_page(request: HttpRequest) -> HttpResponse:
    language = "zh" if (get_language() or "zh").startswith("zh") else "en"
    return render(request, f"portal/help_{language}.html")


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For the load balancer: the process answers and the database does too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )


def _error(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse(error_body(code, message), status=status)
    return render(
        request,
        "portal/error.html",
        {"status": status, "message": message},
        status=status,
    )


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception.message) if isinstance(exception, NotPermitted) else ""
    return _error(request, 403, "forbidden", message or _("You do not have permission to do this."))


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        404,
        "not_found",
        _("The page or record does not exist, or it is not visible to you."),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    # A standalone page: the shell needs the database, which may be what failed.
    if _wants_json(request):
        message = _("Something went wrong on our side. The error has been logged.")
        return JsonResponse(error_body("server_error", message), status=500)
    return HttpResponse(render_to_string("portal/error_500.html"), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(
        request,
        403,
        "csrf_failed",
        _("The form has expired or was not sent from this site. Reload the page and try again."),
    )
