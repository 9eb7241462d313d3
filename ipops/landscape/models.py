"""Datasets (frozen searches) and their analytic facts.

A dataset keeps the patents a search found on the day it was frozen, and their facts as of
that day (``ipops.corpus.facts``): a report made from it next year shows the same numbers.
The ``Fact*`` tables are the analytic schema of ``ipcore.landscape.schema`` with a dataset
column: Ibis reads them directly on SQLite and PostgreSQL, and they hold only the patents
the dataset includes (a patent excluded by hand loses its facts; one included gains them).
"""

# ruff: noqa: DJ001, DJ008 — fact tables mirror ipcore.landscape.schema, where null means
# "unknown" for text too (the metrics count nulls apart), and their rows are never displayed.
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Dataset(models.Model):
    """专题数据集 — the patents a search found, frozen with its query, date and size."""

    class Strategy(models.TextChoices):
        KEYWORD = "keyword", _("Query language")
        SEMANTIC = "semantic", _("Description (meaning)")
        HAND = "hand", _("Patent numbers")

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    query = models.TextField(_("query"), blank=True)
    strategy = models.CharField(
        _("found by"), max_length=10, choices=Strategy.choices, default=Strategy.KEYWORD
    )
    as_of = models.DateField(_("facts as of"))
    size = models.PositiveIntegerField(_("patents"), default=0)
    matched = models.PositiveIntegerField(_("search results"), default=0)
    organization = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="datasets",
        verbose_name=_("organisation"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="datasets",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class DatasetPatent(models.Model):
    """One patent of a dataset: found by the search or added by hand, perhaps excluded,
    perhaps tagged (the analyst's own grouping, e.g. 核心专利, 竞争对手)."""

    class Origin(models.TextChoices):
        SEARCH = "search", _("Search")
        HAND = "hand", _("Added by hand")

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="members")
    patent = models.ForeignKey(
        "corpus.Patent", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    origin = models.CharField(max_length=8, choices=Origin.choices, default=Origin.SEARCH)
    excluded = models.BooleanField(_("excluded"), default=False)
    tags = models.JSONField(_("tags"), default=list, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dataset", "patent"], name="one_membership")]
        indexes = [models.Index(fields=["patent"])]

    def __str__(self) -> str:
        return f"{self.dataset_id}:{self.patent_id}"


class FactPatent(models.Model):
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="+")
    patent_id = models.BigIntegerField()
    office = models.CharField(max_length=2)
    document_type = models.CharField(max_length=16, db_column="type")
    kind = models.CharField(max_length=4, null=True)
    application_date = models.DateField(null=True)
    publication_date = models.DateField(null=True)
    grant_date = models.DateField(null=True)
    priority_date = models.DateField(null=True)
    family_id = models.CharField(max_length=32, null=True)
    family_size = models.IntegerField()
    family_offices = models.IntegerField()
    claims = models.IntegerField(null=True)
    legal_status = models.CharField(max_length=16, null=True)
    expiry_date = models.DateField(null=True)
    title = models.TextField(null=True)
    citations = models.IntegerField(null=True)
    cited_by = models.IntegerField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dataset", "patent_id"], name="one_fact_patent")
        ]


class FactOwner(models.Model):
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="+")
    patent_id = models.BigIntegerField()
    position = models.SmallIntegerField()
    entity_id = models.BigIntegerField(null=True)
    name = models.CharField(max_length=300)
    country = models.CharField(max_length=2, null=True)
    province = models.CharField(max_length=6, null=True)


class FactInventor(models.Model):
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="+")
    patent_id = models.BigIntegerField()
    position = models.SmallIntegerField()
    name = models.CharField(max_length=300)
    country = models.CharField(max_length=2, null=True)


class FactClass(models.Model):
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="+")
    patent_id = models.BigIntegerField()
    scheme = models.CharField(max_length=3)
    code = models.CharField(max_length=32)
    section = models.CharField(max_length=1)
    class_code = models.CharField(max_length=3)
    subclass = models.CharField(max_length=4)
    main_group = models.CharField(max_length=16, null=True)
    is_main = models.BooleanField()


class FactField(models.Model):
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="+")
    patent_id = models.BigIntegerField()
    field = models.SmallIntegerField()


# Analytic table name (ipcore.landscape.schema) → the model holding it, and the model field
# behind each column where the names differ.
FACT_MODELS: dict[str, type[models.Model]] = {
    "patents": FactPatent,
    "owners": FactOwner,
    "inventors": FactInventor,
    "classes": FactClass,
    "fields": FactField,
}
FIELD_FOR_COLUMN: dict[str, str] = {"type": "document_type"}
