"""质押融资 — patent pledges registered on the platform (PLAN.md O3).

A bank (the pledgee) registers a pledge of a pledgor's patents securing a claim; the
registration is refused for the grounds in ``ipcore.market.pledges``. A registered pledge is
released (注销) when the debt is settled. Each registration and release writes the CNIPA
legal event (PE01, PC01) on the patents through the corpus services.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Pledge(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        CHANGED = "changed", _("Changed")
        RELEASED = "released", _("Released")

    class ClaimType(models.TextChoices):
        LOAN = "loan", _("Loan")
        GUARANTEE = "guarantee", _("Guarantee")
        OTHER = "other", _("Other")

    number = models.CharField(_("registration number"), max_length=32, unique=True)
    pledgor = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="pledges_given"
    )
    pledgee = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="pledges_held"
    )
    claim_type = models.CharField(_("secured claim"), max_length=12, choices=ClaimType.choices)
    amount = models.DecimalField(_("secured amount (CNY)"), max_digits=16, decimal_places=2)
    debt_start = models.DateField(_("debt term from"))
    debt_end = models.DateField(_("debt term to"))
    guarantee_scope = models.TextField(_("guarantee scope"), blank=True)
    valuation = models.CharField(_("valuation report"), max_length=300, blank=True)
    consents = models.JSONField(default=list)  # co-owners who consented, as named
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REGISTERED
    )
    registered_on = models.DateField(_("registered on"))
    changed_on = models.DateField(_("changed on"), null=True, blank=True)
    released_on = models.DateField(_("released on"), null=True, blank=True)
    patents = models.ManyToManyField("corpus.Patent", through="PledgePatent", related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-registered_on", "-id"]

    def __str__(self) -> str:
        return self.number

    @property
    def standing(self) -> bool:
        return self.status in STANDING


# A pledge that still secures its claim: registered, or changed since.
STANDING = (Pledge.Status.REGISTERED, Pledge.Status.CHANGED)


class PledgePatent(models.Model):
    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="items")
    patent = models.ForeignKey("corpus.Patent", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pledge", "patent"], name="finance_pledge_patent")
        ]

    def __str__(self) -> str:
        return f"pledge {self.pledge_id}: patent {self.patent_id}"
