"""Who may use what: roles, organisation kinds and record visibility (访问控制).

The platform's people come from the role table in PLAN.md. A person's role follows from the
kind of organisation they work for, so the two can never disagree. The rules here are pure:
the Django side turns a user into a `Viewer` and asks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    """角色 — the six kinds of platform user (PLAN.md "Who uses the system")."""

    BUREAU = "bureau"  # 区知识产权局
    CENTER = "center"  # 知识产权保护中心
    PROVIDER = "provider"  # 运营服务机构、代理机构
    ENTERPRISE = "enterprise"  # 创新主体：企业、高校、科研院所
    BANK = "bank"  # 金融机构：银行、担保、保险
    PUBLIC = "public"  # 社会公众 (anonymous)


class OrganizationKind(StrEnum):
    """机构类型 — what an organisation is; decides its members' role."""

    ENTERPRISE = "enterprise"  # 企业
    UNIVERSITY = "university"  # 高校
    INSTITUTE = "institute"  # 科研院所
    SERVICE_INSTITUTION = "service_institution"  # 知识产权服务机构
    AGENCY = "agency"  # 专利代理机构
    BANK = "bank"  # 银行等金融机构
    PROTECTION_CENTER = "protection_center"  # 知识产权保护中心
    BUREAU = "bureau"  # 知识产权局


class SizeClass(StrEnum):
    """企业规模 — 大/中/小/微型 (工信部联企业〔2011〕300号); small and micro matter for custody."""

    LARGE = "large"
    MEDIUM = "medium"
    SMALL = "small"
    MICRO = "micro"


ROLE_OF_KIND: Mapping[OrganizationKind, Role] = {
    OrganizationKind.ENTERPRISE: Role.ENTERPRISE,
    OrganizationKind.UNIVERSITY: Role.ENTERPRISE,
    OrganizationKind.INSTITUTE: Role.ENTERPRISE,
    OrganizationKind.SERVICE_INSTITUTION: Role.PROVIDER,
    OrganizationKind.AGENCY: Role.PROVIDER,
    OrganizationKind.BANK: Role.BANK,
    OrganizationKind.PROTECTION_CENTER: Role.CENTER,
    OrganizationKind.BUREAU: Role.BUREAU,
}


def role_of_kind(kind: OrganizationKind | str) -> Role:
    """The role every member of an organisation of this kind has."""
    return ROLE_OF_KIND[OrganizationKind(kind)]


def is_small_or_micro(size: SizeClass | str | None) -> bool:
    """中小微 custody and fee-reduction rules only look at small and micro firms."""
    return size in {SizeClass.SMALL, SizeClass.MICRO}


class Capability(StrEnum):
    """能力 — one thing the navigation can offer and a service can check.

    Later capabilities (search, market, finance …) join this list as their apps arrive; a
    capability nobody holds is a bug the tests catch.
    """

    VIEW_PUBLIC = "view_public"  # public pages, notices, statistics
    USE_ACCOUNT = "use_account"  # profile, password, API tokens
    VIEW_OWN_ORGANIZATION = "view_own_organization"
    VIEW_CLIENT_ORGANIZATIONS = "view_client_organizations"
    VIEW_ALL_ORGANIZATIONS = "view_all_organizations"
    MANAGE_ORGANIZATIONS = "manage_organizations"  # create and edit organisations, accounts
    VIEW_AUDIT_LOG = "view_audit_log"
    VIEW_PATENTS = "view_patents"  # patent pages: public bibliographic data
    MANAGE_CORPUS = "manage_corpus"  # imports, name resolution decisions
    VIEW_DATA_QUALITY = "view_data_quality"
    SEARCH_PATENTS = "search_patents"  # the search box and the query language
    SAVE_SEARCHES = "save_searches"  # saved searches with "new since last run"
    EXPORT_RESULTS = "export_results"  # a whole result set as CSV or XLSX
    ANALYSE_PATENTS = "analyse_patents"  # datasets, landscape metrics and reports
    MANAGE_PROJECTS = "manage_projects"  # run navigation / analysis-evaluation projects
    VIEW_PATENT_VALUE = "view_patent_value"  # value scores, high-value patents, portfolios
    MANAGE_PORTFOLIOS = "manage_portfolios"  # build portfolios of the own organisation or clients
    MANAGE_VALUATION_DATA = "manage_valuation_data"  # award lists, populations, the programme
    MANAGE_FIELD_DEFINITIONS = "manage_field_definitions"  # edit the key fields (重点产业领域)
    TRADE_PATENTS = "trade_patents"  # list patents, post needs, inquire and deal (交易)
    VIEW_DEALS = "view_deals"  # deals the organisation (or, for the bureau, anyone) is party to
    VIEW_PLEDGES = "view_pledges"  # pledges the organisation gave or holds (bureau: all)
    REGISTER_PLEDGES = "register_pledges"  # a bank registers and releases pledges (质押登记)
    IMPORT_PLEDGES = "import_pledges"  # load pledges registered at CNIPA from a file
    VIEW_MARKET_BREAKDOWNS = "view_market_breakdowns"  # statistics by field, district, size


_SIGNED_IN: frozenset[Capability] = frozenset(
    {
        Capability.VIEW_PUBLIC,
        Capability.VIEW_PATENTS,
        Capability.SEARCH_PATENTS,
        Capability.SAVE_SEARCHES,
        Capability.EXPORT_RESULTS,
        Capability.ANALYSE_PATENTS,
        Capability.VIEW_PATENT_VALUE,
        Capability.USE_ACCOUNT,
        Capability.VIEW_OWN_ORGANIZATION,
    }
)

ROLE_CAPABILITIES: Mapping[Role, frozenset[Capability]] = {
    Role.PUBLIC: frozenset(
        {Capability.VIEW_PUBLIC, Capability.VIEW_PATENTS, Capability.SEARCH_PATENTS}
    ),
    Role.ENTERPRISE: _SIGNED_IN
    | {
        Capability.MANAGE_PORTFOLIOS,
        Capability.TRADE_PATENTS,
        Capability.VIEW_DEALS,
        Capability.VIEW_PLEDGES,
    },
    Role.BANK: _SIGNED_IN
    | {Capability.VIEW_PLEDGES, Capability.REGISTER_PLEDGES, Capability.IMPORT_PLEDGES},
    Role.CENTER: _SIGNED_IN | {Capability.VIEW_MARKET_BREAKDOWNS},
    Role.PROVIDER: _SIGNED_IN
    | {
        Capability.VIEW_CLIENT_ORGANIZATIONS,
        Capability.MANAGE_PROJECTS,
        Capability.MANAGE_PORTFOLIOS,
        Capability.TRADE_PATENTS,
        Capability.VIEW_DEALS,
        Capability.VIEW_PLEDGES,
    },
    Role.BUREAU: _SIGNED_IN
    | {
        Capability.VIEW_ALL_ORGANIZATIONS,
        Capability.MANAGE_ORGANIZATIONS,
        Capability.VIEW_AUDIT_LOG,
        Capability.MANAGE_CORPUS,
        Capability.VIEW_DATA_QUALITY,
        Capability.MANAGE_PORTFOLIOS,
        Capability.MANAGE_VALUATION_DATA,
        Capability.MANAGE_PROJECTS,
        Capability.MANAGE_FIELD_DEFINITIONS,
        Capability.VIEW_DEALS,
        Capability.VIEW_PLEDGES,
        Capability.IMPORT_PLEDGES,
        Capability.VIEW_MARKET_BREAKDOWNS,
    },
}


def can(role: Role, capability: Capability) -> bool:
    """Whether a role holds a capability."""
    return capability in ROLE_CAPABILITIES[role]


@dataclass(frozen=True)
class Viewer:
    """Someone looking at records: their role, organisation and the clients they serve.

    `client_ids` are the organisations a provider serves under an active engagement
    (custody, agency, analysis); they are empty for every other role.
    """

    role: Role
    organization_id: int | None = None
    client_ids: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def public(cls) -> Viewer:
        return cls(role=Role.PUBLIC)

    @property
    def sees_everything(self) -> bool:
        """The bureau supervises the whole system and sees every private record."""
        return self.role is Role.BUREAU

    def visible_owner_ids(self) -> frozenset[int]:
        """Organisations whose private records this viewer may see (ignored when
        `sees_everything`)."""
        own: Iterable[int] = () if self.organization_id is None else (self.organization_id,)
        clients = self.client_ids if self.role is Role.PROVIDER else frozenset()
        return frozenset(own) | clients

    def may_see_private_of(self, owner_id: int | None) -> bool:
        """An enterprise sees its own private records, a provider also its clients',
        the bureau all; nobody else sees them."""
        if self.sees_everything:
            return True
        return owner_id is not None and owner_id in self.visible_owner_ids()
