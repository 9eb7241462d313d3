"""What every page's shell needs: the person's role, their navigation, the site name."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ipops import __version__
from ipops.accounts.queries import viewer_of
from ipops.portal.navigation import navigation_for


def shell(request: HttpRequest) -> dict[str, Any]:
    role = viewer_of(getattr(request, "user", None)).role
    return {
        "role": role.value,
        "navigation": navigation_for(role),
        "ipops_version": __version__,
    }
