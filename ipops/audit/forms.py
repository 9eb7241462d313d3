from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ipops.audit.actions import Action


class AuditFilterForm(forms.Form):
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

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return data
