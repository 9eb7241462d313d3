"""Saved searches (the index itself lives in files: see index.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SavedSearch(models.Model):
    """保存的检索式 — a user's query kept with a re-run button and a "new since" count.

    ``last_run_at`` is when its owner last looked at the results: patents added to the corpus
    after it are "new". The early-warning alerts build on these.
    """

    class Mode(models.TextChoices):
        KEYWORD = "keyword", _("Keyword")
        STEMMED = "stemmed", _("Keyword, English word forms")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(_("name"), max_length=100)
    query = models.TextField(_("query"))
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.KEYWORD)
    created_at = models.DateTimeField(auto_now_add=True)
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True)
    last_total = models.PositiveIntegerField(_("results at last run"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="one_saved_search_name")
        ]

    def __str__(self) -> str:
        return self.name


class PatentEmbedding(models.Model):
    """语义向量 — one patent's embedding for semantic search ("find patents like this").

    The truth from which the vector index is built (see vectors.py). ``patent_id`` is a
    plain number, not a foreign key: the search app reads the corpus only through
    ``corpus.indexable``, and a vector left behind by a deleted patent is removed by the next
    embedding pass. ``model`` names the model and the text recipe (embedder.RECIPE) and
    ``text_hash`` the text embedded: a row whose either differs is embedded again.
    """

    patent_id = models.BigIntegerField(unique=True, db_index=True)
    model = models.CharField(max_length=64)
    text_hash = models.CharField(max_length=64)
    # embedder.script_of(text): the vector index centres each script's vectors on its own.
    script = models.CharField(max_length=8)
    vector = models.BinaryField()  # float32, little-endian, embedder.DIMENSIONS values
    # When this vector was computed: set again when the patent is embedded again.
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("patent embedding")

    def __str__(self) -> str:
        return f"{self.patent_id} ({self.model})"
