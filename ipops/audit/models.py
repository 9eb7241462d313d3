"""审计日志 — the append-only record of every write on the platform."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ipops.audit.actions import Action


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: object) -> int:
        raise TypeError("The audit log is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("The audit log is append-only.")


class AuditEntry(models.Model):
    """One write: who did what to which record, the values before and after, and the
    request it came from. Written by `audit.services.record_write` inside the write's own
    transaction; never changed afterwards (the model refuses, and a database trigger too)."""

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Snapshots, so that an entry still reads right after the actor is renamed.
    actor_label = models.CharField(_("actor name"), max_length=150)
    actor_organization_id = models.BigIntegerField(null=True, blank=True)
    # No `choices` here: apps add actions often, and the vocabulary lives in `Action`
    # (checked by record_write), not in the schema, so a new action needs no migration.
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.CharField(_("record type"), max_length=64, db_index=True)
    target_id = models.CharField(_("record id"), max_length=64, db_index=True)
    target_label = models.CharField(_("record"), max_length=255)
    old_values = models.JSONField(_("before"), default=dict, blank=True)
    new_values = models.JSONField(_("after"), default=dict, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True, db_index=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["target_type", "target_id", "-created_at"])]

    def __str__(self) -> str:
        when = f"{self.created_at:%Y-%m-%d %H:%M:%S}"
        return f"{when} {self.actor_label} {self.action} {self.target_label}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise TypeError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise TypeError("The audit log is append-only.")

    @property
    def action_label(self) -> str:
        """The action's name in the reader's language (the raw value for a retired action)."""
        try:
            return str(Action(self.action).label)
        except ValueError:
            return self.action

    @property
    def changed_fields(self) -> list[str]:
        return sorted(set(self.old_values) | set(self.new_values))
