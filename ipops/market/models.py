"""知识产权交易 — listings of corpus patents, technology needs, and deals between parties.

The rules (which moves a deal may make, what refuses a patent on a listing) live in
``ipcore.market``; these tables keep what people recorded. A deal carries a ``version`` that
every write bumps with a conditional UPDATE, so two people acting on one deal at once cannot
overwrite each other: the second is told the deal changed. The documents kept on a deal are
files under the data directory, one row each (`DealDocument`).
"""

from __future__ import annotations

from typing import Final

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ipcore.market.deals import DealStage
from ipcore.market.documents import DocumentKind
from ipcore.market.filing import FilingDeadline, filing_deadline
from ipcore.market.listings import ListingKind, ListingStatus
from ipcore.uploads import CONTENT_TYPES, FileType


class KindChoices(models.TextChoices):
    TRANSFER = ListingKind.TRANSFER.value, _("Transfer")
    EXCLUSIVE_LICENCE = ListingKind.EXCLUSIVE_LICENCE.value, _("Exclusive licence")
    SOLE_LICENCE = ListingKind.SOLE_LICENCE.value, _("Sole licence")
    ORDINARY_LICENCE = ListingKind.ORDINARY_LICENCE.value, _("Ordinary licence")
    OPEN_LICENCE = ListingKind.OPEN_LICENCE.value, _("Open licence")
    CAPITAL_CONTRIBUTION = ListingKind.CAPITAL_CONTRIBUTION.value, _("Capital contribution")


class ListingStatusChoices(models.TextChoices):
    OPEN = ListingStatus.OPEN.value, _("Open")
    CLOSED = ListingStatus.CLOSED.value, _("Closed (deal completed)")
    WITHDRAWN = ListingStatus.WITHDRAWN.value, _("Withdrawn")
    LAPSED = ListingStatus.LAPSED.value, _("Withdrawn: a patent lapsed")


class StageChoices(models.TextChoices):
    INQUIRY = DealStage.INQUIRY.value, _("Inquiry")
    NEGOTIATION = DealStage.NEGOTIATION.value, _("Negotiation")
    CONTRACT_SIGNED = DealStage.CONTRACT_SIGNED.value, _("Contract signed")
    FILED = DealStage.FILED.value, _("Filed / registered")
    COMPLETED = DealStage.COMPLETED.value, _("Completed")
    WITHDRAWN = DealStage.WITHDRAWN.value, _("Withdrawn")
    FAILED = DealStage.FAILED.value, _("Failed")


class Listing(models.Model):
    """挂牌 — patents of one organisation offered for transfer, licence or contribution."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="listings"
    )
    kind = models.CharField(_("offered as"), max_length=24, choices=KindChoices.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    price_min = models.DecimalField(
        _("price from (CNY)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    price_max = models.DecimalField(
        _("price up to (CNY)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    terms = models.TextField(_("terms"), blank=True)
    contact = models.CharField(_("contact"), max_length=200)
    evaluation_report = models.BooleanField(
        _("patent evaluation report obtained"),
        default=False,
        help_text=_("Needed for an open licence of a utility model or design."),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ListingStatusChoices.choices,
        default=ListingStatusChoices.OPEN,
    )
    status_reason = models.CharField(max_length=500, blank=True)
    patents = models.ManyToManyField("corpus.Patent", through="ListingPatent", related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "kind"])]

    def __str__(self) -> str:
        return self.title


class ListingPatent(models.Model):
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="items")
    patent = models.ForeignKey("corpus.Patent", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["listing", "patent"], name="market_listing_patent")
        ]

    def __str__(self) -> str:
        return f"listing {self.listing_id}: patent {self.patent_id}"


NEED_TEXT_CHARS: Final = 2000


class Need(models.Model):
    """技术需求 — a technology an organisation is looking for, in its own words."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="needs"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what is needed"))
    field = models.CharField(_("technical field"), max_length=200, blank=True)
    budget = models.DecimalField(
        _("budget (CNY)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Its text's embedding (search.embedder, the patents' model), written in the background
    # after it is posted, so a listing's matches rank needs by meaning too; ``vector_model``
    # names the model and text recipe (a need embedded with another one is embedded again).
    vector = models.BinaryField(null=True, editable=False)
    vector_model = models.CharField(max_length=64, blank=True, editable=False)
    vector_script = models.CharField(max_length=8, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def text(self) -> str:
        """What matching reads of it: title, field and description (2,000 characters)."""
        parts = (self.title, self.field, self.description)
        return "\n".join(part for part in parts if part)[:NEED_TEXT_CHARS]


class Deal(models.Model):
    """交易 — a buyer's inquiry on a listing and everything after it."""

    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="deals")
    seller = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="deals_selling"
    )
    buyer = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="deals_buying"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=KindChoices.choices)
    stage = models.CharField(
        _("stage"), max_length=16, choices=StageChoices.choices, default=StageChoices.INQUIRY
    )
    price = models.DecimalField(
        _("agreed price (CNY)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    patents = models.ManyToManyField("corpus.Patent", through="DealPatent", related_name="+")
    # 合同生效日 — a licence is filed with CNIPA within 3 months of it (许可备案)
    contract_effective_on = models.DateField(_("contract in effect from"), null=True, blank=True)
    # 备案/登记 — the date CNIPA filed the licence or registered the transfer, and its number
    registered_on = models.DateField(_("filed / registered on"), null=True, blank=True)
    registration_number = models.CharField(
        _("filing / registration number"), max_length=64, blank=True
    )
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return f"deal {self.pk}: {self.listing.title}"

    @property
    def is_licence(self) -> bool:
        return ListingKind(self.kind).is_licence

    def filing_deadline(self) -> FilingDeadline | None:
        """许可备案 time limit of a licence deal once its contract is in effect."""
        if not self.is_licence or self.contract_effective_on is None:
            return None
        return filing_deadline(self.contract_effective_on, self.registered_on)


class DealPatent(models.Model):
    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="items")
    patent = models.ForeignKey("corpus.Patent", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["deal", "patent"], name="market_deal_patent")
        ]

    def __str__(self) -> str:
        return f"deal {self.deal_id}: patent {self.patent_id}"


class DealStageChange(models.Model):
    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="changes")
    from_stage = models.CharField(max_length=16, choices=StageChoices.choices)
    to_stage = models.CharField(max_length=16, choices=StageChoices.choices)
    side = models.CharField(max_length=8)
    note = models.CharField(max_length=500, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"deal {self.deal_id}: {self.from_stage} → {self.to_stage}"


class DealMessage(models.Model):
    """A message between the parties of a deal (the bureau reads them too)."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organization = models.ForeignKey(
        "accounts.Organization", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sent_at", "id"]

    def __str__(self) -> str:
        return f"message {self.pk} on deal {self.deal_id}"


class DocumentKindChoices(models.TextChoices):
    CONTRACT = DocumentKind.CONTRACT.value, _("Contract")
    FILING_CERTIFICATE = DocumentKind.FILING_CERTIFICATE.value, _("Licence filing certificate")
    REGISTRATION_NOTICE = DocumentKind.REGISTRATION_NOTICE.value, _("Transfer registration notice")
    VALUATION_REPORT = DocumentKind.VALUATION_REPORT.value, _("Valuation report")
    OTHER = DocumentKind.OTHER.value, _("Other")


class FileTypeChoices(models.TextChoices):
    # format names read the same in Chinese and English
    PDF = FileType.PDF.value, "PDF"
    DOCX = FileType.DOCX.value, "Word (DOCX)"
    XLSX = FileType.XLSX.value, "Excel (XLSX)"
    OFD = FileType.OFD.value, "OFD"
    JPEG = FileType.JPEG.value, "JPEG"
    PNG = FileType.PNG.value, "PNG"


class DealDocument(models.Model):
    """交易文件 — a file a party keeps on a deal: the contract, CNIPA's filing certificate or
    registration notice, a valuation report. The bytes live under the data directory with a
    name of the platform's own (``stored_name``, random); the name the uploader gave is kept
    for display and for the download's name only."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(
        _("kind of document"), max_length=24, choices=DocumentKindChoices.choices
    )
    original_name = models.CharField(_("file name"), max_length=255)
    file_type = models.CharField(max_length=8, choices=FileTypeChoices.choices)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    stored_name = models.CharField(max_length=200, unique=True)
    side = models.CharField(max_length=8)  # the party that uploaded it: seller or buyer
    note = models.CharField(_("note"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"deal {self.deal_id}: {self.original_name}"

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[FileType(self.file_type)]


class MatchFeedback(models.Model):
    """A user's mark on a match — useful or not — kept as given (the latest mark of the
    organisation on a match is the one shown; earlier ones stay as history).

    The match is from a need (to a patent, listed or not) or from a listing (to a need, or
    to an organisation as a likely licensee)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+"
    )
    need = models.ForeignKey(
        Need, null=True, blank=True, on_delete=models.CASCADE, related_name="match_feedback"
    )
    listing = models.ForeignKey(
        Listing, null=True, blank=True, on_delete=models.CASCADE, related_name="match_feedback"
    )
    matched_patent = models.ForeignKey(
        "corpus.Patent", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    matched_need = models.ForeignKey(
        Need, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    matched_entity = models.ForeignKey(
        "corpus.Entity", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    useful = models.BooleanField(_("useful"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(need__isnull=False, listing__isnull=True)
                    | models.Q(need__isnull=True, listing__isnull=False)
                ),
                name="market_feedback_one_source",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        matched_patent__isnull=False,
                        matched_need__isnull=True,
                        matched_entity__isnull=True,
                    )
                    | models.Q(
                        matched_patent__isnull=True,
                        matched_need__isnull=False,
                        matched_entity__isnull=True,
                    )
                    | models.Q(
                        matched_patent__isnull=True,
                        matched_need__isnull=True,
                        matched_entity__isnull=False,
                    )
                ),
                name="market_feedback_one_match",
            ),
        ]

    def __str__(self) -> str:
        return f"feedback {self.pk}: {'useful' if self.useful else 'not useful'}"
