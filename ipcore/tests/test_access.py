from hypothesis import given
from hypothesis import strategies as st

from ipcore.access import (
    ROLE_CAPABILITIES,
    ROLE_OF_KIND,
    Capability,
    OrganizationKind,
    Role,
    SizeClass,
    Viewer,
    can,
    is_small_or_micro,
    role_of_kind,
)


def test_every_organization_kind_has_a_role() -> None:
    assert set(ROLE_OF_KIND) == set(OrganizationKind)


def test_every_signed_in_role_comes_from_some_kind() -> None:
    assert set(ROLE_OF_KIND.values()) == set(Role) - {Role.PUBLIC}


def test_role_of_kind_accepts_stored_strings() -> None:
    assert role_of_kind("university") is Role.ENTERPRISE
    assert role_of_kind(OrganizationKind.AGENCY) is Role.PROVIDER


def test_every_capability_is_held_by_someone() -> None:
    held = set().union(*ROLE_CAPABILITIES.values())
    assert held == set(Capability)


def test_public_only_views_public() -> None:
    assert ROLE_CAPABILITIES[Role.PUBLIC] == {
        Capability.VIEW_PUBLIC,
        Capability.VIEW_PATENTS,
        Capability.SEARCH_PATENTS,
    }
    assert not can(Role.PUBLIC, Capability.USE_ACCOUNT)


def test_only_bureau_reads_audit_and_manages_organizations() -> None:
    for role in Role:
        expected = role is Role.BUREAU
        assert can(role, Capability.VIEW_AUDIT_LOG) is expected
        assert can(role, Capability.MANAGE_ORGANIZATIONS) is expected


def test_only_bureau_edits_field_definitions() -> None:
    for role in Role:
        assert can(role, Capability.MANAGE_FIELD_DEFINITIONS) is (role is Role.BUREAU)


def test_small_and_micro() -> None:
    assert is_small_or_micro(SizeClass.MICRO)
    assert is_small_or_micro("small")
    assert not is_small_or_micro(SizeClass.MEDIUM)
    assert not is_small_or_micro(None)


ids = st.integers(min_value=1, max_value=10_000)


@given(own=ids, other=ids)
def test_enterprise_sees_only_its_own(own: int, other: int) -> None:
    viewer = Viewer(role=Role.ENTERPRISE, organization_id=own, client_ids=frozenset({other}))
    assert viewer.may_see_private_of(own)
    # Client links mean nothing for an enterprise: only providers serve clients.
    assert viewer.may_see_private_of(other) is (other == own)


@given(own=ids, client=ids, stranger=ids)
def test_provider_sees_its_clients(own: int, client: int, stranger: int) -> None:
    viewer = Viewer(role=Role.PROVIDER, organization_id=own, client_ids=frozenset({client}))
    assert viewer.may_see_private_of(own)
    assert viewer.may_see_private_of(client)
    assert viewer.may_see_private_of(stranger) is (stranger in {own, client})


@given(owner=st.one_of(st.none(), ids))
def test_bureau_sees_all_and_public_sees_none(owner: int | None) -> None:
    assert Viewer(role=Role.BUREAU, organization_id=1).may_see_private_of(owner)
    assert not Viewer.public().may_see_private_of(owner)
