"""People, the organisations they work for, and the clients a provider serves."""

from __future__ import annotations

import unicodedata

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ipcore.access import OrganizationKind, Role, SizeClass, Viewer, role_of_kind
from ipcore.divisions import division_label


class OrganizationKindChoices(models.TextChoices):
    ENTERPRISE = OrganizationKind.ENTERPRISE.value, _("Enterprise")
    UNIVERSITY = OrganizationKind.UNIVERSITY.value, _("University")
    INSTITUTE = OrganizationKind.INSTITUTE.value, _("Research institute")
    SERVICE_INSTITUTION = OrganizationKind.SERVICE_INSTITUTION.value, _("IP service institution")
    AGENCY = OrganizationKind.AGENCY.value, _("Patent agency")
    BANK = OrganizationKind.BANK.value, _("Bank or financial institution")
    PROTECTION_CENTER = OrganizationKind.PROTECTION_CENTER.value, _("IP protection center")
    BUREAU = OrganizationKind.BUREAU.value, _("IP bureau")


class SizeClassChoices(models.TextChoices):
    LARGE = SizeClass.LARGE.value, _("Large")
    MEDIUM = SizeClass.MEDIUM.value, _("Medium")
    SMALL = SizeClass.SMALL.value, _("Small")
    MICRO = SizeClass.MICRO.value, _("Micro")


class RoleChoices(models.TextChoices):
    BUREAU = Role.BUREAU.value, _("IP bureau")
    CENTER = Role.CENTER.value, _("Protection center")
    PROVIDER = Role.PROVIDER.value, _("Service provider")
    ENTERPRISE = Role.ENTERPRISE.value, _("Enterprise")
    BANK = Role.BANK.value, _("Financial institution")
    PUBLIC = Role.PUBLIC.value, _("Public")


def name_key(name: str) -> str:
    """The form of an organisation name used to spot duplicates: NFKC (full-width to
    half-width), no whitespace, case-folded. The name itself is kept as typed."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(folded.split())


class Organization(models.Model):
    """机构 — an organisation on the platform: an enterprise, university, institute, service
    institution, agency, bank, the protection center or the bureau."""

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    name_key = models.CharField(max_length=200, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganizationKindChoices.choices)
    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    division_code = models.CharField(_("district"), max_length=6, db_index=True)
    size_class = models.CharField(
        _("size"), max_length=8, choices=SizeClassChoices.choices, blank=True
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def role(self) -> Role:
        return role_of_kind(self.kind)

    @property
    def division_label(self) -> str:
        return division_label(self.division_code)


class EngagementKind(models.TextChoices):
    CUSTODY = "custody", _("Custody (托管)")
    AGENCY = "agency", _("Patent agency")
    ANALYSIS = "analysis", _("Analysis and navigation")
    OPERATIONS = "operations", _("Operations (licensing, transfer, finance)")


class Engagement(models.Model):
    """服务关系 — a provider serving a client organisation. While it is active the
    provider's people may see the client's private records."""

    provider = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="engagements_as_provider"
    )
    client = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="engagements_as_client"
    )
    kind = models.CharField(_("service"), max_length=16, choices=EngagementKind.choices)
    started_on = models.DateField(_("start"))
    ended_on = models.DateField(_("end"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "client", "kind"],
                condition=models.Q(ended_on__isnull=True),
                name="one_open_engagement_per_kind",
            ),
            models.CheckConstraint(
                condition=~models.Q(provider=models.F("client")), name="engagement_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} → {self.client} ({self.get_kind_display()})"


class User(AbstractUser):
    """用户 — a person signed in to the platform. Their role comes from their organisation."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="members",
        null=True,
        blank=True,
    )
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    class Meta:
        ordering = ["username"]
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def role(self) -> Role:
        if self.organization_id is None:
            return Role.PUBLIC
        return self.organization.role  # type: ignore[union-attr]

    @property
    def role_label(self) -> str:
        return str(RoleChoices(self.role.value).label)

    def viewer(self) -> Viewer:
        """What this person may see, computed once per request and cached on the object."""
        cached: Viewer | None = getattr(self, "_viewer", None)
        if cached is None:
            cached = Viewer(
                role=self.role,
                organization_id=self.organization_id,
                client_ids=self._client_ids(),
            )
            self._viewer = cached
        return cached

    def _client_ids(self) -> frozenset[int]:
        if self.role is not Role.PROVIDER:
            return frozenset()
        active = Engagement.objects.filter(
            provider_id=self.organization_id,
            ended_on__isnull=True,
            started_on__lte=timezone.localdate(),
        )
        return frozenset(active.values_list("client_id", flat=True))


class ApiToken(models.Model):
    """A token a script uses instead of a password. Only a digest is stored; the token is
    shown once when created."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class LoginFailure(models.Model):
    """A failed sign-in, kept for throttling (counted in a sliding window)."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.username} from {self.address or 'unknown address'}"
