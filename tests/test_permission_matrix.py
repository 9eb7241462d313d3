"""Every page and endpoint × every role, from one table (NetBox/Datasette style).

A new URL must be added here: `test_every_url_is_in_the_matrix` fails otherwise.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ipcore.access import Role
from ipops.audit.models import AuditEntry
from ipops.landscape.services import (
    create_dataset,
    create_project,
    request_report,
    run_report_task,
)
from ipops.search.services import apply_pending_changes

B, C, P, E, K, U = Role.BUREAU, Role.CENTER, Role.PROVIDER, Role.ENTERPRISE, Role.BANK, Role.PUBLIC
ALL = (B, C, P, E, K, U)


def same(status: int, public: int | None = None) -> dict[Role, int]:
    """The same answer for every signed-in role; `public` for the anonymous visitor."""
    table = dict.fromkeys(ALL, status)
    if public is not None:
        table[U] = public
    return table


def only(role_statuses: dict[Role, int], others: int, public: int = 302) -> dict[Role, int]:
    return {role: role_statuses.get(role, others) for role in ALL} | {U: public}


Url = Callable[[dict[Role, object]], str]


def org_of(role: Role, name: str, *extra: str) -> Url:
    return lambda people: reverse(name, args=[people[role].organization_id, *extra])


def first_audit_entry(people: dict[Role, object]) -> str:
    return reverse("audit:entry_detail", args=[AuditEntry.objects.earliest("id").pk])


MATRIX: list[tuple[str, str | Url, dict[Role, int]]] = [
    ("portal:home", "/", same(200)),
    ("portal:help", "/help/", same(200)),
    ("portal:healthz", "/healthz", same(200)),
    ("accounts:login", "/accounts/login/", same(200)),
    ("accounts:password_reset", "/accounts/password/reset/", same(200)),
    ("accounts:password_reset_done", "/accounts/password/reset/sent/", same(200)),
    ("accounts:password_reset_confirm", "/accounts/password/reset/MQ/bad-token/", same(200)),
    ("accounts:profile", "/accounts/profile/", same(200, public=302)),
    ("accounts:password_change", "/accounts/password/", same(200, public=302)),
    ("accounts:token_list", "/accounts/tokens/", same(200, public=302)),
    ("accounts:my_organization", "/accounts/organization/", same(302)),
    ("accounts:organization_list", "/accounts/organizations/", only({B: 200, P: 200}, others=302)),
    ("accounts:organization_create", "/accounts/organizations/new/", only({B: 200}, others=403)),
    (
        "accounts:organization_detail",
        org_of(E, "accounts:organization_detail"),
        only({B: 200, P: 200, E: 200}, others=404),
    ),
    (
        "accounts:organization_detail",
        org_of(K, "accounts:organization_detail"),
        only({B: 200, K: 200}, others=404),
    ),
    (
        "accounts:organization_detail",
        org_of(P, "accounts:organization_detail"),
        only({B: 200, P: 200}, others=404),
    ),
    (
        "accounts:organization_edit",
        org_of(E, "accounts:organization_edit"),
        only({B: 200}, others=403),
    ),
    ("accounts:account_create", org_of(E, "accounts:account_create"), only({B: 200}, others=403)),
    ("audit:entry_list", "/audit/", only({B: 200}, others=403)),
    ("audit:entry_detail", first_audit_entry, only({B: 200}, others=403)),
    ("corpus:patent_list", "/patents/", same(200)),
    ("corpus:patent_detail", lambda world: f"/patents/{world['patent'].pk}/", same(200)),
    (
        "corpus:entity_detail",
        lambda world: f"/patents/organizations/{world['patent'].parties.first().entity_id}/",
        same(200),
    ),
    ("corpus:quality", "/patents/quality/", only({B: 200}, others=403)),
    ("corpus:name_review", "/patents/names/?q=上海", only({B: 200}, others=403)),
    ("corpus:field_list", "/patents/fields/", same(200, public=302)),
    ("corpus:key_field_detail", "/patents/fields/key/ai/", same(200, public=302)),
    ("corpus:key_field_edit", "/patents/fields/key/ai/edit/", only({B: 200}, others=403)),
    ("corpus:sei_category", "/patents/fields/sei/1.5/", same(200, public=302)),
    ("corpus:sei_category", "/patents/fields/sei/2/", same(200, public=302)),
    ("search:search", "/search/?q=锂电池 AND AD>=2020", same(200)),
    ("search:export", "/search/export.csv?q=锂电池", same(200, public=302)),
    ("search:saved_list", "/search/saved/", same(200, public=302)),
    ("landscape:dataset_list", "/landscape/", same(200, public=302)),
    (
        "landscape:dataset_detail",
        lambda world: f"/landscape/datasets/{world['dataset'].pk}/",
        only({B: 200, P: 200}, others=404),
    ),
    (
        "landscape:report",
        lambda world: f"/landscape/datasets/{world['dataset'].pk}/report/",
        only({B: 200, P: 200}, others=404),
    ),
    (
        "landscape:report_file",
        lambda world: f"/landscape/datasets/{world['dataset'].pk}/report.xlsx",
        only({B: 200, P: 200}, others=404),
    ),
    (
        "landscape:report_exports",
        lambda world: f"/landscape/datasets/{world['dataset'].pk}/exports/",
        only({B: 200, P: 200}, others=404),
    ),
    (  # a report file is its requester's organisation's: the bureau sees the dataset, not it
        "landscape:report_task",
        lambda world: f"/landscape/report-tasks/{world['report_task'].pk}/",
        only({P: 200}, others=404),
    ),
    (
        "landscape:report_task_file",
        lambda world: f"/landscape/report-tasks/{world['report_task'].pk}/file",
        only({P: 200}, others=404),
    ),
    ("landscape:project_list", "/landscape/projects/", same(200, public=302)),
    (
        "landscape:project_detail",
        lambda world: f"/landscape/projects/{world['project'].pk}/",
        only({B: 200, P: 200, E: 200}, others=404),
    ),
    ("api:list_datasets", "/api/landscape/datasets", same(200, public=401)),
    (
        "api:report",
        lambda world: f"/api/landscape/datasets/{world['dataset'].pk}/report",
        only({B: 200, P: 200}, others=404, public=401),
    ),
    (
        "landscape:screening",
        "/landscape/screening/?description=锂电池正极&office=CN",
        same(200, public=302),
    ),
    (
        "landscape:screening_file",
        "/landscape/screening.csv?description=锂电池&office=CN",
        same(200, public=302),
    ),
    ("landscape:organisation_search", "/landscape/organisations/?q=上海", same(200, public=302)),
    (
        "landscape:organisation_profile",
        lambda world: f"/landscape/organisations/{world['patent'].parties.first().entity_id}/",
        same(200, public=302),
    ),
    (
        "landscape:organisation_profile_file",
        lambda world: (
            f"/landscape/organisations/{world['patent'].parties.first().entity_id}/profile.json"
        ),
        same(200, public=302),
    ),
    ("api:find_organisations", "/api/landscape/organisations?q=上海", same(200, public=401)),
    (
        "api:organisation_profile",
        lambda world: (
            f"/api/landscape/organisations/{world['patent'].parties.first().entity_id}/profile"
        ),
        same(200, public=401),
    ),
    ("api:index", "/api/", same(200)),
    ("api:search", "/api/search?q=锂电池", same(200)),
    ("api:list_saved", "/api/saved-searches", same(200, public=401)),
    ("api:list_patents", "/api/patents", same(200)),
    ("api:get_patent", lambda world: f"/api/patents/{world['patent'].pk}", same(200)),
    (
        "api:get_entity",
        lambda world: f"/api/patent-organizations/{world['patent'].parties.first().entity_id}",
        same(200),
    ),
    ("api:get_quality", "/api/data-quality", only({B: 200}, others=403, public=401)),
    ("api:health", "/api/health", same(200)),
    ("api:me", "/api/me", same(200, public=401)),
    ("api:list_organizations", "/api/organizations", same(200, public=401)),
    (
        "api:get_organization",
        lambda people: f"/api/organizations/{people[E].organization_id}",
        only({B: 200, P: 200, E: 200}, others=404, public=401),
    ),
    (
        "api:list_accounts",
        lambda people: f"/api/organizations/{people[K].organization_id}/accounts",
        only({B: 200, K: 200}, others=404, public=401),
    ),
    ("api:list_tokens", "/api/tokens", same(200, public=401)),
    ("api:list_entries", "/api/audit/entries", only({B: 200}, others=403, public=401)),
    (
        "api:get_entry",
        lambda people: f"/api/audit/entries/{AuditEntry.objects.earliest('id').pk}",
        only({B: 200}, others=403, public=401),
    ),
    ("valuation:overview", "/valuation/", same(200, public=302)),
    (
        "valuation:patent_value",
        lambda world: f"/valuation/patents/{world['patent'].pk}/",
        same(200, public=302),
    ),
    ("valuation:high_value", "/valuation/high-value/", same(200, public=302)),
    ("valuation:award_list", "/valuation/awards/", same(200, public=302)),
    (
        "valuation:award_detail",
        lambda world: f"/valuation/awards/{world['award_list'].pk}/",
        same(200, public=302),
    ),
    ("valuation:populations", "/valuation/populations/", same(200, public=302)),
    ("valuation:portfolio_list", "/valuation/portfolios/", same(200, public=302)),
    (
        "valuation:portfolio_detail",
        lambda world: f"/valuation/portfolios/{world['portfolio'].pk}/",
        only({B: 200, P: 200, E: 200}, others=404),
    ),
    ("valuation:programme", "/valuation/programme/", same(200, public=302)),
    (
        "api:get_patent_value",
        lambda world: f"/api/valuation/patents/{world['patent'].pk}",
        same(200, public=401),
    ),
    ("api:value_by_number", "/api/valuation/value?number=CN 113700001 B", same(200, public=401)),
    ("api:get_high_value", "/api/valuation/high-value", same(200, public=401)),
    ("api:list_portfolios", "/api/valuation/portfolios", same(200, public=401)),
    (
        "api:get_portfolio",
        lambda world: f"/api/valuation/portfolios/{world['portfolio'].pk}",
        only({B: 200, P: 200, E: 200}, others=404, public=401),
    ),
    ("api:get_programme", "/api/valuation/programme", same(200, public=401)),
    ("market:listing_list", "/market/", same(200)),
    (
        "market:listing_detail",
        lambda world: f"/market/listings/{world['listing'].pk}/",
        same(200),
    ),
    ("market:listing_create", "/market/listings/new/", only({P: 200, E: 200}, others=403)),
    ("market:need_list", "/market/needs/", same(200)),
    ("market:need_create", "/market/needs/new/", only({P: 200, E: 200}, others=403)),
    ("market:deal_list", "/market/deals/", only({B: 200, P: 200, E: 200}, others=403)),
    (
        "market:deal_detail",
        lambda world: f"/market/deals/{world['deal'].pk}/",
        only({B: 200, P: 200, E: 200}, others=403),
    ),
    (
        "market:deal_document",
        lambda world: f"/market/deals/{world['deal'].pk}/documents/{world['document'].pk}/",
        only({B: 200, P: 200, E: 200}, others=403),
    ),
    (
        "market:need_detail",
        lambda world: f"/market/needs/{world['need'].pk}/",
        same(200),
    ),
    (
        "market:need_matches",
        lambda world: f"/market/needs/{world['need'].pk}/matches/",
        only({B: 200, P: 200, E: 200}, others=403),
    ),
    (
        "market:listing_matches",
        lambda world: f"/market/listings/{world['listing'].pk}/matches/",
        only({B: 200, P: 200, E: 200}, others=403),
    ),
    ("market:statistics", "/market/statistics/", same(200)),
    ("market:statistics", "/market/statistics/?by=district", only({B: 200, C: 200}, 403, 403)),
    ("market:notices", "/market/notices/", same(200)),
    ("notifications:list", "/notifications/", same(200, public=302)),
    ("finance:pledge_list", "/finance/pledges/", only({B: 200, P: 200, E: 200, K: 200}, 403)),
    ("finance:pledge_create", "/finance/pledges/new/", only({K: 200}, 403)),
    ("finance:pledge_import", "/finance/pledges/import/", only({B: 200, K: 200}, 403)),
    (
        "finance:pledge_detail",
        lambda world: f"/finance/pledges/{world['pledge'].pk}/",
        only({B: 200, P: 200, E: 200, K: 200}, 403),
    ),
    ("api:list_listings", "/api/market/listings", same(200, public=401)),
    (
        "api:get_listing",
        lambda world: f"/api/market/listings/{world['listing'].pk}",
        same(200, public=401),
    ),
    (
        "api:need_matches",
        lambda world: f"/api/market/needs/{world['need'].pk}/matches",
        only({B: 200, P: 200, E: 200}, 403, public=401),
    ),
    (
        "api:listing_matches",
        lambda world: f"/api/market/listings/{world['listing'].pk}/matches",
        only({B: 200, P: 200, E: 200}, 403, public=401),
    ),
    ("api:list_deals", "/api/market/deals", only({B: 200, P: 200, E: 200}, 403, public=401)),
    (
        "api:get_deal",
        lambda world: f"/api/market/deals/{world['deal'].pk}",
        only({B: 200, P: 200, E: 200}, 403, public=401),
    ),
    (
        "api:list_deal_documents",
        lambda world: f"/api/market/deals/{world['deal'].pk}/documents",
        only({B: 200, P: 200, E: 200}, 403, public=401),
    ),
    (
        "api:get_deal_document",
        lambda world: f"/api/market/deals/{world['deal'].pk}/documents/{world['document'].pk}",
        only({B: 200, P: 200, E: 200}, 403, public=401),
    ),
    ("api:openapi-json", "/api/openapi.json", same(200)),
    ("api:openapi-view", "/api/docs", same(200)),
]

# POST-only actions, checked with their own tests (they redirect or answer 405 on GET).
POST_ONLY = {
    "accounts:logout",
    "accounts:token_revoke",
    "accounts:account_set_active",
    "set_language",
    "api:create_organization",
    "api:update_organization",
    "api:create_account",
    "api:create_token",
    "api:revoke_token",
    "corpus:entity_link",
    "search:saved_run",
    "search:saved_delete",
    "api:create_saved",
    "api:delete_saved",
    "landscape:dataset_members",
    "landscape:dataset_delete",
    "landscape:project_move",
    "landscape:project_attach",
    "landscape:screening_save",
    "api:screen",
    "api:keep_screening",
    "api:create_dataset",
    "api:exclude",
    "api:include",
    "api:delete",
    "api:api-root",  # django-ninja's name for the /api/ prefix itself, served by api:index
    "valuation:rescore",
    "valuation:award_delete",
    "valuation:portfolio_change",
    "valuation:portfolio_refresh",
    "valuation:portfolio_delete",
    "valuation:portfolio_enrol",
    "valuation:programme_withdraw",
    "api:request_rescore",
    "api:create_portfolio",
    "api:delete_portfolio",
    "market:listing_withdraw",
    "market:deal_open",
    "market:deal_move",
    "market:deal_message",
    "market:deal_document_upload",
    "market:need_feedback",
    "market:listing_feedback",
    "notifications:read",
    "finance:pledge_release",
    "finance:pledge_change",
    "api:import_pledges",
    "api:create_listing",
    "api:open_deal",
    "api:move_deal",
    "api:send_message",
    "api:upload_deal_document",
    "api:mark_match",
}


@pytest.mark.parametrize(
    ("name", "url", "expected"),
    [
        pytest.param(name, url, expected, id=f"{name}-{index}")
        for index, (name, url, expected) in enumerate(MATRIX)
    ],
)
@pytest.mark.parametrize("role", ALL, ids=lambda role: role.value)
def test_permission_matrix(client_for, personas, sample_patent, name, url, expected, role):  # type: ignore[no-untyped-def]
    world = {**personas, "patent": sample_patent}
    if name.startswith(("search:", "api:search", "api:list_saved", "landscape:", "api:report")):
        apply_pending_changes()  # the sample patent, searchable
    if name.startswith(("landscape:dataset_detail", "landscape:report", "api:report")):
        world["dataset"] = create_dataset(actor=personas[P], name="锂电池", query="锂电池")
    if name.startswith("landscape:report_task"):
        task = request_report(actor=personas[P], dataset=world["dataset"], file_format="xlsx")
        world["report_task"] = run_report_task(task_id=task.pk)
    if name == "landscape:project_detail":
        world["project"] = create_project(
            actor=personas[P],
            name="导航",
            kind="navigation_industry",
            client=personas[E].organization,
        )
    if name.startswith(("valuation:", "api:get_patent_value", "api:value_by_number")) or (
        name in ("api:get_portfolio", "api:get_programme")
    ):
        world |= valuation_world(personas, sample_patent)
    if name.startswith("market:") or name in MARKET_API:
        world |= market_world(personas, sample_patent)
    if name == "finance:pledge_detail":
        world |= pledge_world(personas, sample_patent)
    path = url(world) if callable(url) else url
    response = client_for(role).get(path)
    response.close()  # a file response holds its file open until closed
    assert response.status_code == expected[role], f"{role.value} GET {path}"


def valuation_world(people: dict[Role, object], patent: object) -> dict[str, object]:
    """The corpus scored, an award list naming the sample patent, a portfolio of the
    enterprise (its provider serves it) in the cultivation programme."""
    from ipops.valuation import services as valuation

    valuation.rescore_corpus(actor=None)
    award_list = valuation.upload_award_list(
        actor=people[B],
        name="中国专利奖",
        kind="china_patent_award",
        year=2024,
        file_name="awards.csv",
        content="专利号,奖项\nCN113700001B,优秀奖\n".encode(),
    )
    portfolio = valuation.create_portfolio(
        actor=people[E],
        name="锂电池组合",
        source=valuation.PortfolioSource(basis="hand", numbers=["CN113700001B"]),
    )
    valuation.enrol_in_programme(
        actor=people[B], portfolio=portfolio, key_field="high-end-equipment", start_year=2024
    )
    return {"award_list": award_list, "portfolio": portfolio}


MARKET_API = (
    "api:list_listings",
    "api:get_listing",
    "api:list_deals",
    "api:get_deal",
    "api:need_matches",
    "api:listing_matches",
    "api:list_deal_documents",
    "api:get_deal_document",
)


def market_world(people: dict[Role, object], patent: object) -> dict[str, object]:
    """The sample patent listed by the enterprise (its provider serves it) and another
    enterprise's inquiry on it: a deal the centre and the bank are no party to, with the
    seller's contract on it."""
    from ipcore.tests.sample_files import pdf
    from ipops.accounts.tests.factories import make_persona
    from ipops.market import services as market
    from ipops.market.tests.factories import hold

    hold(patent, people[E].organization)  # type: ignore[arg-type, attr-defined]
    listing = market.create_listing(
        actor=people[E], kind="transfer", title="转让", numbers=["CN113700001B"], contact="021"
    )
    deal = market.open_deal(actor=make_persona(E), listing=listing)
    document = market.upload_deal_document(
        actor=people[E], deal=deal, kind="contract", file_name="合同.pdf", content=pdf()
    )
    need = market.create_need(actor=people[E], title="锂电池正极材料", description="正极材料")
    return {"listing": listing, "deal": deal, "need": need, "document": document}


def pledge_world(people: dict[Role, object], patent: object) -> dict[str, object]:
    """The bank's pledge of the sample patent, given by the enterprise its provider serves."""
    import datetime as dt
    from decimal import Decimal

    from ipops.finance import services as finance
    from ipops.market.tests.factories import hold

    hold(patent, people[E].organization)  # type: ignore[arg-type, attr-defined]
    application = finance.PledgeApplication(
        pledgor=people[E].organization,  # type: ignore[attr-defined]
        numbers=["CN113700001B"],
        claim_type="loan",
        amount=Decimal("1000000"),
        debt_start=dt.date(2026, 1, 1),
        debt_end=dt.date(2027, 1, 1),
    )
    return {"pledge": finance.register_pledge(actor=people[K], application=application)}


def _url_names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_is_in_the_matrix() -> None:
    covered = {name for name, _url, _expected in MATRIX} | POST_ONLY
    missing = _url_names(get_resolver()) - covered
    assert not missing, f"add these URLs to the permission matrix: {sorted(missing)}"
