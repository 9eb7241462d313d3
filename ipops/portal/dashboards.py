"""首页工作台 — the home dashboard of each role: key figures and the panels of its work.

Panels whose module has not arrived yet say what will appear there; they fill in as the
apps behind them land (search, portfolio, market, finance, custody, protection, KPI).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ipcore.access import Role
from ipops.accounts.models import Organization
from ipops.accounts.queries import engagements_for, role_counts
from ipops.audit.models import AuditEntry

Label = str | Promise


@dataclass(frozen=True)
class Figure:
    label: Label
    value: int | str


@dataclass(frozen=True)
class Panel:
    title: Label
    description: Label
    figures: tuple[Figure, ...] = ()
    link_name: str = ""
    link_label: Label = ""


@dataclass(frozen=True)
class Dashboard:
    heading: Label
    intro: Label
    panels: tuple[Panel, ...] = field(default_factory=tuple)


def dashboard_for(user: Any) -> Dashboard:
    role = user.role if user.is_authenticated else Role.PUBLIC
    return _BUILDERS[role](user)


def _public(user: Any) -> Dashboard:
    return Dashboard(
        heading=_("Pudong IP operations service platform"),
        intro=_(
            "One place for the district's IP work: patent search and analysis, high-value "
            "patents, the IP market and IP finance, custody for small firms, protection, "
            "and public statistics on every target of the plan."
        ),
        panels=(
            Panel(_("Public patent search"), _("Search patents in Chinese and English.")),
            Panel(_("Public notices"), _("Notices, fund disclosures and inspection results.")),
            Panel(_("Statistics"), _("Progress on the district's IP targets.")),
        ),
    )


def _bureau(user: Any) -> Dashboard:
    counts = role_counts()
    today = timezone.localdate()
    return Dashboard(
        heading=_("IP bureau workbench"),
        intro=_("Targets, supervision, funds and public notices for the whole district."),
        panels=(
            Panel(
                _("Platform participants"),
                _("Organisations and active accounts by role."),
                figures=(
                    Figure(_("Organisations"), Organization.objects.count()),
                    *(Figure(_role_label(role), counts[role]) for role in _SIGNED_IN_ROLES),
                ),
                link_name="accounts:organization_list",
                link_label=_("Manage organisations"),
            ),
            Panel(
                _("Audit log"),
                _("Every write on the platform, with who made it and when."),
                figures=(
                    Figure(
                        _("Entries today"),
                        AuditEntry.objects.filter(created_at__date=today).count(),
                    ),
                ),
                link_name="audit:entry_list",
                link_label=_("Open the audit log"),
            ),
            Panel(_("Target scoreboard"), _("Every target of the plan against its actuals.")),
            Panel(_("Supervision"), _("Agency supervision, random inspections and credit.")),
        ),
    )


def _center(user: Any) -> Dashboard:
    return Dashboard(
        heading=_("Protection center workbench"),
        intro=_("Pre-examination, fast rights protection and mediation."),
        panels=(
            _own_organization_panel(user),
            Panel(_("Pre-examination queue"), _("Drafts waiting for pre-examination.")),
            Panel(_("Rights protection"), _("Fast protection and mediation cases.")),
        ),
    )


def _provider(user: Any) -> Dashboard:
    clients = engagements_for(user).filter(provider_id=user.organization_id, ended_on__isnull=True)
    return Dashboard(
        heading=_("Service institution workbench"),
        intro=_("Custody of client portfolios, analysis projects, valuation and deals."),
        panels=(
            _own_organization_panel(user),
            Panel(
                _("Clients"),
                _("Organisations you serve under an active engagement."),
                figures=(Figure(_("Active clients"), clients.count()),),
                link_name="accounts:organization_list",
                link_label=_("View clients"),
            ),
            Panel(_("Custody deadlines"), _("Annual fees and time limits of client portfolios.")),
            Panel(_("Projects"), _("Navigation and analysis-evaluation projects.")),
        ),
    )


def _enterprise(user: Any) -> Dashboard:
    return Dashboard(
        heading=_("Enterprise workbench"),
        intro=_("Your portfolio, its deadlines, listings and requests for help."),
        panels=(
            _own_organization_panel(user),
            Panel(_("My portfolio"), _("Your patents, their status and next fees.")),
            Panel(_("Deadlines"), _("Annual fees and office actions coming due.")),
            Panel(_("Market"), _("Your listings, needs and deals.")),
        ),
    )


def _bank(user: Any) -> Dashboard:
    return Dashboard(
        heading=_("Financial institution workbench"),
        intro=_("Pledge financing: valuation, registration and risk."),
        panels=(
            _own_organization_panel(user),
            Panel(_("Pledge applications"), _("Applications for patent pledge financing.")),
            Panel(_("Risk watch"), _("Legal-status changes on pledged patents.")),
        ),
    )


def _own_organization_panel(user: Any) -> Panel:
    organization = user.organization
    return Panel(
        _("My organisation"),
        organization.name,
        figures=(
            Figure(_("District"), organization.division_label),
            Figure(_("Members"), organization.members.filter(is_active=True).count()),
        ),
        link_name="accounts:my_organization",
        link_label=_("Open"),
    )


def _role_label(role: Role) -> Label:
    from ipops.accounts.models import RoleChoices

    return RoleChoices(role.value).label


_SIGNED_IN_ROLES = (Role.CENTER, Role.PROVIDER, Role.ENTERPRISE, Role.BANK, Role.BUREAU)

_BUILDERS = {
    Role.PUBLIC: _public,
    Role.BUREAU: _bureau,
    Role.CENTER: _center,
    Role.PROVIDER: _provider,
    Role.ENTERPRISE: _enterprise,
    Role.BANK: _bank,
}
