"""Saved searches (the index itself lives in files: see index.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
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
