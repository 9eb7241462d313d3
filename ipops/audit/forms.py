from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ipops.audit.actions import Action


class AuditFilterForm(forms.Form):
    """The shape of the filters; their rules live in `queries.AuditFilter`."""

    action = forms.ChoiceField(
        label=_("Action"), choices=[("", _("All actions")), *Action.choices], required=False
    )
    actor = forms.CharField(label=_("Actor"), max_length=150, required=False)
    target_type = forms.CharField(label=_("Record type"), max_length=64, required=False)
    target_id = forms.CharField(label=_("Record id"), max_length=64, required=False)
    request_id = forms.CharField(label=_("Request id"), max_length=64, required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
