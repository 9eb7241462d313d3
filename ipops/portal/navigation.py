"""The navigation: what each role may use, declared once.

Each entry names the capability it needs; the shell shows a person only the entries their
role holds. Apps add their entries here as they arrive.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ipcore.access import Capability, Role, can


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    capability: Capability
    icon: str  # name of an inline SVG symbol in portal/icons.html

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass(frozen=True)
class NavSection:
    label: str | Promise
    items: tuple[NavItem, ...]


NAVIGATION: tuple[NavSection, ...] = (
    NavSection(
        _("Workbench"),
        (NavItem(_("Home"), "portal:home", Capability.VIEW_PUBLIC, "home"),),
    ),
    NavSection(
        _("Patents"),
        (
            NavItem(_("Patent search"), "search:search", Capability.SEARCH_PATENTS, "search"),
            NavItem(_("Saved searches"), "search:saved_list", Capability.SAVE_SEARCHES, "star"),
            NavItem(_("Patent data"), "corpus:patent_list", Capability.VIEW_PATENTS, "doc"),
            NavItem(
                _("Datasets and reports"),
                "landscape:dataset_list",
                Capability.ANALYSE_PATENTS,
                "chart",
            ),
            NavItem(
                _("Navigation projects"),
                "landscape:project_list",
                Capability.ANALYSE_PATENTS,
                "doc",
            ),
            NavItem(
                _("Risk screening"), "landscape:screening", Capability.ANALYSE_PATENTS, "shield"
            ),
            NavItem(
                _("Portfolio profiles"),
                "landscape:organisation_search",
                Capability.ANALYSE_PATENTS,
                "building",
            ),
            NavItem(
                _("Field definitions"), "corpus:field_list", Capability.ANALYSE_PATENTS, "doc"
            ),
            NavItem(_("Patent value"), "valuation:overview", Capability.VIEW_PATENT_VALUE, "star"),
            NavItem(
                _("High-value patents"),
                "valuation:high_value",
                Capability.VIEW_PATENT_VALUE,
                "shield",
            ),
            NavItem(
                _("Portfolios"), "valuation:portfolio_list", Capability.VIEW_PATENT_VALUE, "doc"
            ),
            NavItem(_("Data quality"), "corpus:quality", Capability.VIEW_DATA_QUALITY, "chart"),
            NavItem(_("Applicant names"), "corpus:name_review", Capability.MANAGE_CORPUS, "users"),
        ),
    ),
    NavSection(
        _("Market"),
        (
            NavItem(_("Patent market"), "market:listing_list", Capability.VIEW_PUBLIC, "star"),
            NavItem(_("Technology needs"), "market:need_list", Capability.VIEW_PUBLIC, "search"),
            NavItem(_("Market statistics"), "market:statistics", Capability.VIEW_PUBLIC, "chart"),
            NavItem(_("Public notices"), "market:notices", Capability.VIEW_PUBLIC, "doc"),
            NavItem(_("Deals"), "market:deal_list", Capability.VIEW_DEALS, "doc"),
            NavItem(_("Pledges"), "finance:pledge_list", Capability.VIEW_PLEDGES, "key"),
        ),
    ),
    NavSection(
        _("Organisations"),
        (
            NavItem(
                _("My organisation"),
                "accounts:my_organization",
                Capability.VIEW_OWN_ORGANIZATION,
                "building",
            ),
            NavItem(
                _("Clients"),
                "accounts:organization_list",
                Capability.VIEW_CLIENT_ORGANIZATIONS,
                "users",
            ),
            NavItem(
                _("All organisations"),
                "accounts:organization_list",
                Capability.VIEW_ALL_ORGANIZATIONS,
                "building",
            ),
        ),
    ),
    NavSection(
        _("Supervision"),
        (NavItem(_("Audit log"), "audit:entry_list", Capability.VIEW_AUDIT_LOG, "shield"),),
    ),
    NavSection(
        _("Account"),
        (
            NavItem(_("Profile"), "accounts:profile", Capability.USE_ACCOUNT, "user"),
            NavItem(_("Notifications"), "notifications:list", Capability.USE_ACCOUNT, "help"),
            NavItem(_("API tokens"), "accounts:token_list", Capability.USE_ACCOUNT, "key"),
        ),
    ),
    NavSection(
        _("Help"),
        (NavItem(_("Help"), "portal:help", Capability.VIEW_PUBLIC, "help"),),
    ),
)


def navigation_for(role: Role) -> list[NavSection]:
    """The sections and entries a role may use, empty sections dropped. When two entries lead
    to the same page (a provider's clients, the bureau's all organisations) the broader wins."""
    sections = []
    for section in NAVIGATION:
        items = tuple(item for item in section.items if can(role, item.capability))
        items = _without_repeated_pages(items)
        if items:
            sections.append(NavSection(section.label, items))
    return sections


def _without_repeated_pages(items: tuple[NavItem, ...]) -> tuple[NavItem, ...]:
    last_by_page = {item.url_name: item for item in items}
    return tuple(item for item in items if last_by_page[item.url_name] is item)
