from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from ipcore.industries import sei_concordance
from ipops.accounts.models import Organization
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


def _sei_choices() -> list[tuple[str, str]]:
    chinese = (get_language() or "zh").startswith("zh")
    whole = gettext("(the whole industry)")
    return [
        (c.code, f"{c.code} {c.name_zh if chinese else c.name_en}{'' if c.level == 2 else whole}")
        for c in sei_concordance().categories
    ]


class KeyFieldForm(forms.Form):
    """重点产业领域 — what the bureau edits of a key field."""

    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=100)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    builds_on = forms.MultipleChoiceField(
        label=_("Strategic emerging industries included whole"),
        choices=_sei_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("An industry (e.g. 2) includes all its sub-categories (2.1-2.5)."),
    )
    rules = forms.CharField(
        label=_("Rules"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "class": "mono", "spellcheck": "false"}),
        help_text=_(
            "One rule a line: IPC/CPC patterns separated by spaces (H04L1* = main group H04L 1 "
            "and its subgroups; G06F21/60 = that group only), “-” before an exclusion, "
            "keywords after “|” separated by “；”, the rule's source after “#”."
        ),
    )
    source = forms.CharField(
        label=_("Source of the definition"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


class EntityLinkForm(forms.Form):
    """关联机构 — which platform organisation an applicant entity is (empty: none)."""

    organization: forms.ModelChoiceField[Organization] = forms.ModelChoiceField(
        label=_("Organisation on the platform"),
        queryset=Organization.objects.none(),  # set per request: those the user may see
        required=False,
        empty_label=_("— not linked —"),
    )

    def __init__(
        self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organizations
