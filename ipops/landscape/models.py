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

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from ipcore.landscape.projects import ProjectKind, Stage


class Dataset(models.Model):
    """专题数据集 — the patents a search found, frozen with its query, date and size."""

    class Strategy(models.TextChoices):
        KEYWORD = "keyword", _("Query language")
        SEMANTIC = "semantic", _("Description (meaning)")
        HAND = "hand", _("Patent numbers")
        FIELD = "field", _("Field definition")

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
    # The ipcore.landscape.metrics.prepared_version() that wrote the dataset's PreparedRow
    # rows; blank where none were written. Rows of another version are not read.
    prepared_version = models.CharField(max_length=16, blank=True, default="", editable=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    """专利导航项目 / 分析评议项目 — a service institution's project for a client, from the
    need to the evaluation of its results (stages: ``ipcore.landscape.projects``)."""

    class Kind(models.TextChoices):
        NAVIGATION_REGIONAL = ProjectKind.NAVIGATION_REGIONAL.value, _("Navigation: regional")
        NAVIGATION_INDUSTRY = ProjectKind.NAVIGATION_INDUSTRY.value, _("Navigation: industry")
        NAVIGATION_ENTERPRISE = (
            ProjectKind.NAVIGATION_ENTERPRISE.value,
            _("Navigation: enterprise operations"),
        )
        NAVIGATION_RESEARCH = ProjectKind.NAVIGATION_RESEARCH.value, _("Navigation: R&D")
        NAVIGATION_TALENT = ProjectKind.NAVIGATION_TALENT.value, _("Navigation: talent")
        EVALUATION_TECHNOLOGY = (
            ProjectKind.EVALUATION_TECHNOLOGY.value,
            _("Analysis-evaluation: technology insight"),
        )
        EVALUATION_MARKET_RISK = (
            ProjectKind.EVALUATION_MARKET_RISK.value,
            _("Analysis-evaluation: market-risk screening"),
        )
        EVALUATION_MERGER = (
            ProjectKind.EVALUATION_MERGER.value,
            _("Analysis-evaluation: M&A evaluation"),
        )
        EVALUATION_DISPUTE = (
            ProjectKind.EVALUATION_DISPUTE.value,
            _("Analysis-evaluation: dispute evidence"),
        )

    class Stages(models.TextChoices):
        NEED = Stage.NEED.value, _("Need")
        PLAN = Stage.PLAN.value, _("Plan")
        SEARCH = Stage.SEARCH.value, _("Search")
        DATA = Stage.DATA.value, _("Data processing")
        ANALYSIS = Stage.ANALYSIS.value, _("Analysis")
        OUTPUTS = Stage.OUTPUTS.value, _("Outputs")
        EVALUATION = Stage.EVALUATION.value, _("Evaluation")
        DONE = Stage.DONE.value, _("Done")
        ABANDONED = Stage.ABANDONED.value, _("Abandoned")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=32, choices=Kind.choices)
    stage = models.CharField(_("stage"), max_length=16, choices=Stages.choices, default=Stages.NEED)
    description = models.TextField(_("need and scope"), blank=True)
    provider = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="projects_provided",
        verbose_name=_("service provider"),
    )
    client = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects_received",
        verbose_name=_("client"),
    )
    datasets = models.ManyToManyField(Dataset, blank=True, related_name="projects")
    started_on = models.DateField(_("started"))
    due_on = models.DateField(_("due"), null=True, blank=True)
    finished_on = models.DateField(_("finished"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started_on", "-id"]

    def __str__(self) -> str:
        return self.name


class ProjectStageChange(models.Model):
    """One move of a project between stages: the timeline its page shows."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=16, choices=Project.Stages.choices)
    to_stage = models.CharField(max_length=16, choices=Project.Stages.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.from_stage} → {self.to_stage}"


class DatasetPatent(models.Model):
    """One patent of a dataset: found by the search or added by hand, perhaps excluded,
    perhaps tagged (:class:`DatasetTag`)."""

    class Origin(models.TextChoices):
        SEARCH = "search", _("Search")
        HAND = "hand", _("Added by hand")

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="members")
    patent = models.ForeignKey(
        "corpus.Patent", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    origin = models.CharField(max_length=8, choices=Origin.choices, default=Origin.SEARCH)
    excluded = models.BooleanField(_("excluded"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dataset", "patent"], name="one_membership")]
        indexes = [models.Index(fields=["patent"])]

    def __str__(self) -> str:
        return f"{self.dataset_id}:{self.patent_id}"


class DatasetTag(models.Model):
    """标签 — the analyst's own label on patents of a dataset (核心专利, 竞争对手, 待核查 …),
    to find them again and to group them; a patent may carry several."""

    MAX_LENGTH: ClassVar[int] = 20
    MAX_PER_DATASET: ClassVar[int] = 30

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="tags")
    patent = models.ForeignKey(
        "corpus.Patent", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    tag = models.CharField(_("tag"), max_length=20)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dataset", "patent", "tag"], name="one_tag_a_patent")
        ]
        indexes = [models.Index(fields=["dataset", "tag"])]

    def __str__(self) -> str:
        return f"{self.dataset_id}:{self.patent_id}:{self.tag}"


class FactPatent(models.Model):
    # db_index off: the (dataset, patent_id) index below serves the dataset filter too.
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="+", db_index=False)
    patent_id = models.BigIntegerField(null=True)  # nullable like the schema: no CAST in joins
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
    # db_index off: the (dataset, patent_id) index below serves the dataset filter too.
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="+", db_index=False)
    patent_id = models.BigIntegerField(null=True)  # nullable like the schema: no CAST in joins
    position = models.SmallIntegerField()
    entity_id = models.BigIntegerField(null=True)
    name = models.CharField(max_length=300)
    country = models.CharField(max_length=2, null=True)
    province = models.CharField(max_length=6, null=True)
    key = models.TextField(null=True)  # ipcore.landscape.schema.owner_key

    class Meta:
        indexes = [models.Index(fields=["dataset", "patent_id"])]


class FactInventor(models.Model):
    # db_index off: the (dataset, patent_id) index below serves the dataset filter too.
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="+", db_index=False)
    patent_id = models.BigIntegerField(null=True)  # nullable like the schema: no CAST in joins
    position = models.SmallIntegerField()
    name = models.CharField(max_length=300)
    country = models.CharField(max_length=2, null=True)

    class Meta:
        indexes = [models.Index(fields=["dataset", "patent_id"])]


class FactClass(models.Model):
    # db_index off: the (dataset, patent_id) index below serves the dataset filter too.
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="+", db_index=False)
    patent_id = models.BigIntegerField(null=True)  # nullable like the schema: no CAST in joins
    scheme = models.CharField(max_length=3)
    code = models.CharField(max_length=32)
    section = models.CharField(max_length=1)
    class_code = models.CharField(max_length=3)
    subclass = models.CharField(max_length=4)
    main_group = models.CharField(max_length=16, null=True)
    is_main = models.BooleanField(null=True)

    class Meta:
        indexes = [models.Index(fields=["dataset", "patent_id"])]


class FactField(models.Model):
    # db_index off: the (dataset, patent_id) index below serves the dataset filter too.
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="+", db_index=False)
    patent_id = models.BigIntegerField(null=True)  # nullable like the schema: no CAST in joins
    field = models.SmallIntegerField()

    class Meta:
        indexes = [models.Index(fields=["dataset", "patent_id"])]


class FactIndustry(models.Model):
    # db_index off: the (dataset, patent_id) index below serves the dataset filter too.
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="+", db_index=False)
    patent_id = models.BigIntegerField(null=True)  # nullable like the schema: no CAST in joins
    scheme = models.CharField(max_length=16)  # sei_industry, sei_category, key_field
    code = models.CharField(max_length=40)
    name_zh = models.CharField(max_length=100, null=True)
    name_en = models.CharField(max_length=200, null=True)

    class Meta:
        indexes = [models.Index(fields=["dataset", "patent_id"])]


class PreparedRow(models.Model):
    """预备统计 — one row of a table the landscape metrics derive from a dataset's facts
    (``ipcore.landscape.metrics.PREPARED``: its coverage, patents per owner, rows per
    inventor, patents per field and per classification code), written with the facts so
    every report of the dataset reads it instead of deriving it (``ipops.landscape.prepared``).

    ``table`` names the prepared table; ``key`` is its row's owner key, inventor name, field
    number, classification code, patent id or (coverage) measure; ``patents`` the row's count
    (patents, listings, owners listed, or the measure's value); ``level`` the classification
    level.
    """

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="+", db_index=False)
    table = models.CharField(max_length=32)
    level = models.CharField(max_length=16, null=True)
    key = models.TextField()
    patents = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["dataset", "table"])]


# Analytic table name (ipcore.landscape.schema) → the model holding it, and the model field
# behind each column where the names differ.
FACT_MODELS: dict[str, type[models.Model]] = {
    "patents": FactPatent,
    "owners": FactOwner,
    "inventors": FactInventor,
    "classes": FactClass,
    "fields": FactField,
    "industries": FactIndustry,
}
FIELD_FOR_COLUMN: dict[str, str] = {"type": "document_type"}


class ReportTask(models.Model):
    """报告任务 — a report file written in the background (PDF, DOCX, or any format of a large
    dataset), with its progress; the file lives under ``settings.REPORT_DIR`` and is served
    only through a view that checks access to the dataset. Visible to the requester's
    organisation only."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "DOCX (Word)"
        XLSX = "xlsx", "XLSX (Excel)"
        HTML = "html", "HTML"

    class Language(models.TextChoices):
        CHINESE = "zh-hans", "中文"
        ENGLISH = "en", "English"

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Step(models.TextChoices):
        WAITING = "waiting", _("Waiting for the worker")
        COMPUTING = "computing", _("Computing the metrics")
        RENDERING = "rendering", _("Writing the file")
        FINISHED = "finished", _("Finished")

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="report_tasks")
    organization = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisation"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.CHINESE
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)  # 0-100
    step = models.CharField(max_length=12, choices=Step.choices, default=Step.WAITING)
    metric = models.CharField(max_length=64, blank=True)  # the metric being computed
    metric_number = models.PositiveSmallIntegerField(default=0)
    metric_total = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(_("error"), blank=True)
    file = models.CharField(max_length=300, blank=True)  # relative to settings.REPORT_DIR
    file_size = models.BigIntegerField(null=True, blank=True)
    patents = models.PositiveIntegerField(default=0)  # the dataset's size when requested
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # The last sign of life from the worker writing it: a running task that has been silent
    # for ABANDONED_AFTER lost its worker (killed, restarted) and is failed, not waited on.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    ABANDONED_AFTER: ClassVar[dt.timedelta] = dt.timedelta(minutes=15)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "dataset"])]

    def __str__(self) -> str:
        return f"{self.dataset_id}.{self.file_format} ({self.status})"

    @property
    def active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    def abandoned(self, now: dt.datetime) -> bool:
        """Running, but its worker has not been heard of for ABANDONED_AFTER."""
        last = self.heartbeat_at or self.started_at
        return (
            self.status == self.Status.RUNNING
            and last is not None
            and now - last > self.ABANDONED_AFTER
        )

    def step_text(self) -> str:
        """Where the task stands, in the reader's language (指标 7/25：申请人排名)."""
        if self.step == self.Step.COMPUTING and self.metric_total and self.active:
            from ipcore.landscape.metrics import METRICS, Step
            from ipcore.landscape.topics import section as topics

            metric: Step | None = METRICS.get(self.metric)
            if self.metric == topics.NAME:
                metric = topics.STEP
            chinese = (get_language() or "").startswith("zh")
            title = self.metric
            if metric is not None:
                title = metric.title_zh if chinese else metric.title_en
            return gettext("Metric %(number)s/%(total)s: %(title)s") % {
                "number": self.metric_number,
                "total": self.metric_total,
                "title": title,
            }
        return str(self.get_step_display())
