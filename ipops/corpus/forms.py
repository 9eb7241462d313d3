from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ipops.corpus.models import DocumentTypeChoices

OFFICES = [
    ("", _("All offices")),
    ("CN", "CN"),
    ("US", "US"),
    ("EP", "EP"),
    ("WO", "WO"),
    ("JP", "JP"),
    ("KR", "KR"),
]


class PatentFilterForm(forms.Form):
    text = forms.CharField(label=_("Title or number"), max_length=200, required=False)
    office = forms.ChoiceField(label=_("Office"), choices=OFFICES, required=False)
    document_type = forms.ChoiceField(
        label=_("Type"),
        choices=[("", _("All types")), *DocumentTypeChoices.choices],
        required=False,
    )
    year = forms.IntegerField(
        label=_("Filing year"), min_value=1900, max_value=2100, required=False
    )
    subclass = forms.RegexField(
        label=_("IPC/CPC subclass"),
        regex=r"^[A-Ha-h]\d{2}[A-Za-z]$",
        required=False,
        error_messages={"invalid": _("A subclass looks like H04W.")},
    )


class NameDecisionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("merge", _("Same organisation (merge)")),
            ("split", _("Different organisations (split)")),
        ],
    )
    name_a = forms.CharField(label=_("First name"), max_length=300)
    name_b = forms.CharField(label=_("Second name"), max_length=300)
    note = forms.CharField(label=_("Reason"), max_length=300, required=False)
