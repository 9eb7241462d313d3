"""专利数据库 — the patent corpus as normalised tables, the system of record.

A `Patent` is one application (one right). Its parts — texts, publications, parties,
classifications, priorities, citations, legal events — hang off it, so that a pledge, a
listing or a portfolio points at a real patent row. Every row knows its `Source`. Natural keys
(`Patent.key`, unique part keys) make a re-import of the same data change nothing.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ipcore.patents.record import DocumentType, PartyRole, Scheme, TextField


class DocumentTypeChoices(models.TextChoices):
    INVENTION = DocumentType.INVENTION.value, _("Invention")
    UTILITY_MODEL = DocumentType.UTILITY_MODEL.value, _("Utility model")
    DESIGN = DocumentType.DESIGN.value, _("Design")
    PLANT = DocumentType.PLANT.value, _("Plant")
    REISSUE = DocumentType.REISSUE.value, _("Reissue")
    UNKNOWN = DocumentType.UNKNOWN.value, _("Unknown")


class PartyRoleChoices(models.TextChoices):
    APPLICANT = PartyRole.APPLICANT.value, _("Applicant")
    OWNER = PartyRole.OWNER.value, _("Owner")
    INVENTOR = PartyRole.INVENTOR.value, _("Inventor")


class Source(models.Model):
    """数据来源 — a dataset the corpus was loaded from, with its provenance for attribution."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    format = models.CharField(_("format"), max_length=32)
    provenance = models.TextField(_("provenance"), blank=True)
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Patent(models.Model):
    key = models.CharField(max_length=64, unique=True)
    # No index on office or type: a handful of values each, so an index would not narrow a
    # scan, yet every import would pay to maintain it. Searches filter them in the index.
    office = models.CharField(_("office"), max_length=2)
    document_type = models.CharField(_("type"), max_length=16, choices=DocumentTypeChoices.choices)
    application_number = models.CharField(
        _("application number"), max_length=32, blank=True, db_index=True
    )
    application_date = models.DateField(_("application date"), null=True, blank=True, db_index=True)
    publication_number = models.CharField(
        _("publication number"), max_length=32, blank=True, db_index=True
    )
    publication_kind = models.CharField(_("kind"), max_length=4, blank=True)
    publication_date = models.DateField(_("publication date"), null=True, blank=True)
    grant_date = models.DateField(_("grant date"), null=True, blank=True)
    title = models.TextField(_("title"), blank=True)
    title_language = models.CharField(max_length=8, blank=True)
    claims_count = models.PositiveIntegerField(_("claims"), null=True, blank=True)
    main_ipc = models.CharField(_("main IPC"), max_length=32, blank=True, db_index=True)
    main_cpc = models.CharField(_("main CPC"), max_length=32, blank=True)
    family_id = models.CharField(_("family"), max_length=32, blank=True, db_index=True)
    # the family's size as the source states it, where it gives no family id (Lens)
    stated_family_size = models.PositiveIntegerField(_("family size"), null=True, blank=True)
    first_owner = models.CharField(_("first applicant/owner"), max_length=300, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    content_hash = models.CharField(max_length=64)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="patents")
    ingest_run = models.ForeignKey(
        "IngestRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-application_date", "key"]
        verbose_name = _("patent")
        verbose_name_plural = _("patents")

    def __str__(self) -> str:
        return f"{self.display_number} {self.title[:60]}"

    @property
    def display_number(self) -> str:
        if self.publication_number:
            return f"{self.publication_number}{self.publication_kind}"
        return self.application_number or self.key


# Parts carry no index of their own on `patent`: each has a unique constraint that starts
# with `patent`, and its index serves every lookup by patent (one fewer b-tree per insert).


class PatentText(models.Model):
    FIELDS = [(f.value, f.value) for f in TextField]

    patent = models.ForeignKey(
        Patent, on_delete=models.CASCADE, db_index=False, related_name="texts"
    )
    field = models.CharField(max_length=16, choices=FIELDS)
    language = models.CharField(max_length=8)
    text = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["patent", "field", "language"], name="one_text_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.field}/{self.language}"


class Publication(models.Model):
    """公开/公告 — each publication of the application (A, B, U, S, A1, B2 …)."""

    patent = models.ForeignKey(Patent, on_delete=models.CASCADE, related_name="publications")
    number = models.CharField(max_length=32, db_index=True)
    kind = models.CharField(max_length=4, blank=True)
    date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["date", "number"]
        constraints = [
            models.UniqueConstraint(fields=["number", "kind"], name="unique_publication")
        ]

    def __str__(self) -> str:
        return f"{self.number}{self.kind}"


class Party(models.Model):
    """申请人/专利权人/发明人 — as written in the source, in order, resolved to an entity."""

    patent = models.ForeignKey(
        Patent, on_delete=models.CASCADE, db_index=False, related_name="parties"
    )
    role = models.CharField(max_length=16, choices=PartyRoleChoices.choices)
    sequence = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=300)
    name_key = models.CharField(max_length=300, blank=True, db_index=True)  # normalised name
    country = models.CharField(max_length=2, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=100, blank=True)
    address = models.CharField(max_length=500, blank=True)
    division_code = models.CharField(max_length=6, blank=True, db_index=True)
    entity = models.ForeignKey(
        "Entity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,  # the (entity, role) index below serves it
        related_name="parties",
    )

    class Meta:
        ordering = ["role", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["patent", "role", "sequence"], name="unique_party_slot")
        ]
        indexes = [models.Index(fields=["entity", "role"])]

    def __str__(self) -> str:
        return self.name


class Classification(models.Model):
    SCHEMES = [(s.value, s.value.upper()) for s in Scheme]

    patent = models.ForeignKey(
        Patent, on_delete=models.CASCADE, db_index=False, related_name="classifications"
    )
    scheme = models.CharField(max_length=3, choices=SCHEMES)
    code = models.CharField(max_length=32)
    subclass = models.CharField(max_length=4, db_index=True)
    sequence = models.PositiveSmallIntegerField()
    is_main = models.BooleanField(default=False)

    class Meta:
        ordering = ["scheme", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["patent", "scheme", "code"], name="unique_classification"
            )
        ]
        indexes = [models.Index(fields=["scheme", "code"])]

    def __str__(self) -> str:
        return f"{self.scheme.upper()} {self.code}"


class Priority(models.Model):
    patent = models.ForeignKey(
        Patent, on_delete=models.CASCADE, db_index=False, related_name="priorities"
    )
    office = models.CharField(max_length=2)
    number = models.CharField(max_length=40)
    date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["patent", "office", "number"], name="unique_priority")
        ]

    def __str__(self) -> str:
        return f"{self.office} {self.number}"


class Citation(models.Model):
    patent = models.ForeignKey(
        Patent, on_delete=models.CASCADE, db_index=False, related_name="citations"
    )
    sequence = models.PositiveIntegerField()
    cited_number = models.CharField(max_length=32, blank=True, db_index=True)
    cited_kind = models.CharField(max_length=4, blank=True)
    text = models.TextField(blank=True)
    category = models.CharField(max_length=8, blank=True)
    cited_by = models.CharField(max_length=16, blank=True)

    class Meta:
        ordering = ["sequence"]
        constraints = [
            models.UniqueConstraint(fields=["patent", "sequence"], name="unique_citation_slot")
        ]

    def __str__(self) -> str:
        return self.cited_number or self.text[:60]


class LegalEvent(models.Model):
    """法律状态事件 — a published legal event (CN codes, INPADOC codes)."""

    patent = models.ForeignKey(
        Patent, on_delete=models.CASCADE, db_index=False, related_name="legal_events"
    )
    code = models.CharField(max_length=8, db_index=True)
    date = models.DateField()
    effective_date = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["patent", "code", "date"], name="unique_legal_event")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.date}"


class Entity(models.Model):
    """申请人实体 — one organisation behind many spellings of its name (applicant resolution).

    `key` is the resolver's cluster key; a bureau or provider user corrects clusters through
    `NameDecision`s, which later imports respect."""

    key = models.CharField(max_length=300, unique=True)
    name = models.CharField(_("name"), max_length=300)
    country = models.CharField(max_length=2, blank=True)
    organization = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="patent_entities",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("applicant entity")
        verbose_name_plural = _("applicant entities")

    def __str__(self) -> str:
        return self.name


class EntityAlias(models.Model):
    """A normalised name key and the entity it resolves to. Import assigns a new key its own
    entity; the resolver and people's decisions re-point keys to merge or split entities."""

    key = models.CharField(max_length=300, unique=True)
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="aliases")

    def __str__(self) -> str:
        return self.key


class NameLink(models.Model):
    """归并依据 — why the last resolution joined one name to another's organisation.

    Rewritten wholesale by each resolution (it is an explanation of the current clusters, not
    history: the audit log keeps who re-ran it). Refused links are kept too, so a reviewer sees
    which automatic merges their splits blocked."""

    class Stage(models.TextChoices):
        OVERRIDE = "override", _("Reviewer's decision")
        COMPACT = "compact", _("Same name without spaces")
        LOOSE = "loose", _("Same name without function words")
        PLURAL = "plural", _("Singular and plural")
        WORD_ORDER = "word_order", _("Same words in another order")
        TYPO = "typo", _("Spelling variant of a frequent name")
        ACRONYM = "acronym", _("Acronym stated by the organisation")

    source_key = models.CharField(max_length=300, db_index=True)
    target_key = models.CharField(max_length=300)
    source_name = models.CharField(_("name"), max_length=300)
    target_name = models.CharField(_("joined"), max_length=300)
    stage = models.CharField(_("why"), max_length=16, choices=Stage.choices, db_index=True)
    detail = models.CharField(max_length=500, blank=True)
    refused = models.BooleanField(default=False)

    class Meta:
        ordering = ["stage", "source_name"]

    def __str__(self) -> str:
        return f"{self.source_name} → {self.target_name} ({self.stage})"


class NameDecision(models.Model):
    """A person's correction of applicant resolution: these two names are (merge) or are not
    (split) the same organisation."""

    class Kind(models.TextChoices):
        MERGE = "merge", _("Same organisation")
        SPLIT = "split", _("Different organisations")

    kind = models.CharField(max_length=5, choices=Kind.choices)
    name_a = models.CharField(max_length=300)
    name_b = models.CharField(max_length=300)
    note = models.CharField(max_length=300, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["name_a", "name_b"], name="one_decision_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.name_a} / {self.name_b}"


class IngestRun(models.Model):
    """One `ipops ingest`: what was read and what became of it; resumable from `checkpoint`."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")
        FAILED = "failed", _("Failed")
        INTERRUPTED = "interrupted", _("Interrupted")

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="runs")
    path = models.CharField(max_length=1000)
    file_sha256 = models.CharField(max_length=64, db_index=True)
    format = models.CharField(max_length=32)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    checkpoint = models.PositiveBigIntegerField(default=0)  # records fully committed
    read = models.PositiveIntegerField(default=0)
    inserted = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)  # repeated within the file
    merged = models.PositiveIntegerField(default=0)  # folded into another source's patent
    rejected = models.PositiveIntegerField(default=0)
    rejects_path = models.CharField(max_length=1000, blank=True)
    message = models.TextField(blank=True)
    started_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.path} ({self.status})"


class SearchOutbox(models.Model):
    """A corpus change the search index has not applied yet (written in the same transaction
    as the change; the indexer deletes what it applied)."""

    patent_id = models.BigIntegerField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"patent {self.patent_id}"


class KeyField(models.Model):
    """重点产业领域 — one of the plan's key fields as the bureau currently defines it.

    Seeded from ``ipcore/data/key_fields_2026.toml`` (migration 0003); the bureau edits the
    names, the SEI categories it builds on, its rules (one a line, the notation of
    ``ipcore.industries.rules``) and its source. Every edit is an audit entry with the old and
    new values, which is the definition's history. ``version`` counts the edits, so a dataset
    can say which definition froze it.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    builds_on = models.JSONField(_("SEI categories included whole"), default=list, blank=True)
    rules = models.TextField(_("rules"), blank=True)
    source = models.TextField(_("source"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name_zh
