"""View guards: signed in, and holding a capability."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import resolve_url

from ipcore.access import Capability
from ipops.accounts.models import User
from ipops.accounts.queries import require_capability
from ipops.errors import NotPermitted

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def redirect_to_login(request: HttpRequest) -> HttpResponseRedirect:
    query = {"next": request.get_full_path()}
    if getattr(request, "session_expired", False):
        query["expired"] = "1"
    return HttpResponseRedirect(f"{resolve_url(settings.LOGIN_URL)}?{urlencode(query)}")


def requires(capability: Capability) -> Callable[[View], View]:
    """Anonymous visitors go to the sign-in page; signed-in people without the capability get
    403 (raised as NotPermitted and rendered by the portal's error middleware)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request)
            require_capability(request.user, capability)
            return view(request, *args, **kwargs)

        return cast(View, guarded)

    return decorate


signed_in = requires(Capability.USE_ACCOUNT)


def current_user(request: HttpRequest) -> User:
    """The signed-in user of a request behind `requires`/`signed_in` (typed for services)."""
    user = request.user
    if not isinstance(user, User):
        raise NotPermitted
    return user
