from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ipops.landscape.models import Dataset


class DatasetForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    strategy = forms.ChoiceField(
        label=_("Found by"), choices=Dataset.Strategy.choices, initial=Dataset.Strategy.KEYWORD
    )
    query = forms.CharField(
        label=_("Query, description or patent numbers"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MembersForm(forms.Form):
    """Patents to exclude from (or take back into) a dataset's analysis."""

    patents = forms.TypedMultipleChoiceField(coerce=int, choices=[], required=True)

    def __init__(self, *args: object, choices: list[int], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["patents"].choices = [(pk, pk) for pk in choices]  # type: ignore[attr-defined]


class ReportForm(forms.Form):
    lang = forms.ChoiceField(
        choices=[("zh-hans", "中文"), ("en", "English")], required=False, initial="zh-hans"
    )
