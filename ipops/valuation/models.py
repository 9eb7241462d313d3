"""专利价值 — stored values and scores, high-value verdicts, award lists, populations and
portfolios.

`PatentValue` is derived data: one row per patent, rewritten wholesale by each scoring run
(`services.rescore_corpus`) from the corpus and the weights in force. Everything else here is
a record people keep: award lists the bureau uploads, resident populations, portfolios and
the cultivation programme.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ipcore.valuation.weights import Purpose


class PurposeChoices(models.TextChoices):
    LICENSING = Purpose.LICENSING.value, _("Licensing and transfer")
    PLEDGE = Purpose.PLEDGE.value, _("Pledge financing")
    MANAGEMENT = Purpose.MANAGEMENT.value, _("Tiered management")


class ScoringRun(models.Model):
    """评分批次 — one scoring of the whole corpus: queued, running, finished or failed."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")
        FAILED = "failed", _("Failed")

    class Trigger(models.TextChoices):
        IMPORT = "import", _("After an import")
        MANUAL = "manual", _("Requested on the platform")
        COMMAND = "command", _("ipops rescore")
        AWARDS = "awards", _("Award list changed")

    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    trigger = models.CharField(_("why"), max_length=10, choices=Trigger.choices)
    weights_version = models.CharField(_("weights"), max_length=40, blank=True)
    as_of = models.DateField(_("as of"), null=True, blank=True)
    patents = models.PositiveIntegerField(_("patents"), default=0)
    high_value = models.PositiveIntegerField(_("high-value"), default=0)
    seconds = models.FloatField(_("seconds"), null=True, blank=True)
    message = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"scoring {self.pk} ({self.status})"


class PatentValue(models.Model):
    """一件专利的价值 — its indicators, cohort placements, scores per purpose and high-value
    verdict, as the last scoring run computed them.

    ``indicators``: known values by indicator name; ``unknown``: the reason for each unknown
    one; ``placements``: ``[percentile, cohort level, cohort size]`` of each cohort indicator
    that could be placed. Scores are null when unknown (too little of their weight known).
    """

    patent = models.OneToOneField(
        "corpus.Patent", primary_key=True, on_delete=models.CASCADE, related_name="value"
    )
    run = models.ForeignKey(
        ScoringRun, null=True, on_delete=models.SET_NULL, related_name="values", db_index=False
    )
    weights_version = models.CharField(max_length=40)
    as_of = models.DateField()
    status = models.CharField(max_length=12, blank=True)  # a legal_status.Status value, "" unknown
    expiry = models.DateField(null=True)  # end of term, where known
    cohort_subclass = models.CharField(max_length=4, blank=True)
    filing_year = models.PositiveSmallIntegerField(null=True)
    indicators = models.JSONField(default=dict)
    unknown = models.JSONField(default=dict)
    placements = models.JSONField(default=dict)
    licensing_legal = models.FloatField(null=True)
    licensing_technical = models.FloatField(null=True)
    licensing_economic = models.FloatField(null=True)
    licensing_total = models.FloatField(null=True)
    pledge_legal = models.FloatField(null=True)
    pledge_technical = models.FloatField(null=True)
    pledge_economic = models.FloatField(null=True)
    pledge_total = models.FloatField(null=True)
    management_legal = models.FloatField(null=True)
    management_technical = models.FloatField(null=True)
    management_economic = models.FloatField(null=True)
    management_total = models.FloatField(null=True)
    # 高价值发明专利: True counted, False not, null cannot tell (see ipcore.valuation.high_value)
    high_value = models.BooleanField(null=True)
    criteria_met = models.JSONField(default=list)
    criteria_unknown = models.JSONField(default=list)
    status_from_dates = models.BooleanField(default=False)  # no legal events: dates decided
    region_code = models.CharField(max_length=6, blank=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["high_value", "region_code"])]

    def __str__(self) -> str:
        return f"value of patent {self.patent_id}"

    def score(self, purpose: str, part: str) -> float | None:
        value: float | None = getattr(self, f"{purpose}_{part}")
        return value


class AwardList(models.Model):
    """获奖名单 — a list of awarded patents the bureau uploads (national science and
    technology awards, China Patent Awards): one of CNIPA's high-value criteria."""

    class Kind(models.TextChoices):
        CHINA_PATENT_AWARD = "china_patent_award", _("China Patent Award")
        NATIONAL_SCIENCE_AWARD = "national_science_award", _("National S&T award")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("award"), max_length=32, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    matched = models.PositiveIntegerField(_("patents found"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-uploaded_at"]

    def __str__(self) -> str:
        return self.name


class AwardEntry(models.Model):
    """One row of an award list: the number as written, the award, and the patent it names
    (null when the corpus does not hold it)."""

    award_list = models.ForeignKey(AwardList, on_delete=models.CASCADE, related_name="entries")
    row = models.PositiveIntegerField()
    number = models.CharField(_("number"), max_length=64)
    award = models.CharField(_("award"), max_length=100, blank=True)
    patent = models.ForeignKey(
        "corpus.Patent", null=True, blank=True, on_delete=models.SET_NULL, related_name="awards"
    )

    class Meta:
        ordering = ["award_list", "row"]

    def __str__(self) -> str:
        return f"{self.number} {self.award}"


class RegionPopulation(models.Model):
    """常住人口 — a region's resident population at a year's end, for per-10,000 figures."""

    division_code = models.CharField(_("division"), max_length=6)
    year = models.PositiveSmallIntegerField(_("year"))
    population = models.PositiveBigIntegerField(_("resident population"))
    source = models.CharField(_("source"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["division_code", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["division_code", "year"], name="one_population_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.division_code} {self.year}: {self.population}"


class Portfolio(models.Model):
    """专利组合 — patents gathered by owner, by a field's dataset or by hand, belonging to an
    organisation on the platform (its members and serving provider see it; the bureau all)."""

    class Basis(models.TextChoices):
        OWNER = "owner", _("By owner")
        DATASET = "dataset", _("By field (a dataset)")
        HAND = "hand", _("By hand")

    name = models.CharField(_("name"), max_length=200)
    basis = models.CharField(_("built"), max_length=10, choices=Basis.choices)
    description = models.TextField(_("description"), blank=True)
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="portfolios",
        verbose_name=_("organisation"),
    )
    entity = models.ForeignKey(
        "corpus.Entity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner"),
    )
    dataset = models.ForeignKey(
        "landscape.Dataset",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("dataset"),
    )
    key_field = models.CharField(_("key field"), max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class PortfolioPatent(models.Model):
    portfolio = models.ForeignKey(Portfolio, on_delete=models.CASCADE, related_name="members")
    patent = models.ForeignKey("corpus.Patent", on_delete=models.CASCADE, related_name="+")
    by_hand = models.BooleanField(default=False)  # added by hand (kept on refresh)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["portfolio", "patent"], name="one_portfolio_membership")
        ]

    def __str__(self) -> str:
        return f"{self.portfolio_id}: {self.patent_id}"


class ProgrammeEntry(models.Model):
    """高价值专利组合培育 — a portfolio the district cultivates (PLAN.md C2: at least 25), in
    one of the plan's key fields, with the organisation that owns it."""

    portfolio = models.OneToOneField(
        Portfolio, on_delete=models.CASCADE, related_name="programme_entry"
    )
    key_field = models.CharField(_("key field"), max_length=40)
    start_year = models.PositiveSmallIntegerField(_("since"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    enrolled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["key_field", "portfolio__name"]

    def __str__(self) -> str:
        return f"{self.key_field}: {self.portfolio_id}"
