from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ipops.valuation.models import AwardList, Portfolio, PurposeChoices

# A list of numbers: one a line, or separated by semicolons, 、 or commas outside a number
# (US 10,123,456 B2 stays one) — as landscape datasets read them.
NUMBER_LIST = re.compile(r"[\n;；、，]|,(?!\d{3}\b)")


def split_numbers(text: str) -> list[str]:
    return [number.strip() for number in NUMBER_LIST.split(text) if number.strip()]


class PurposeForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("Purpose"),
        choices=PurposeChoices.choices,
        required=False,
        initial=PurposeChoices.MANAGEMENT,
    )


class AwardListForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Award"), choices=AwardList.Kind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=1985)
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_(
            "A header row with a patent number column (专利号, 公开号, 申请号 or “patent "
            "number”) and, optionally, the award (奖项 or “award”)."
        ),
    )

    def clean_year(self) -> int:
        year: int = self.cleaned_data["year"]
        if year > timezone.localdate().year:
            raise forms.ValidationError(_("The year has not come yet."))
        return year


class PopulationForm(forms.Form):
    division_code = forms.CharField(label=_("Division code"), max_length=6, initial="310115")
    year = forms.IntegerField(label=_("Year end"), min_value=1949)
    population = forms.IntegerField(label=_("Resident population"), min_value=1)
    source = forms.CharField(label=_("Source"), max_length=300, required=False)


class PortfolioForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    basis = forms.ChoiceField(label=_("Built"), choices=Portfolio.Basis.choices)
    owner = forms.CharField(
        label=_("Owner"),
        max_length=300,
        required=False,
        help_text=_(
            "The applicant's name as in the patent data (any spelling of it), or the number in "
            "the address of its organisation page."
        ),
    )
    dataset = forms.TypedChoiceField(label=_("Dataset"), coerce=int, required=False, choices=[])
    numbers = forms.CharField(
        label=_("Patent numbers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line: publication or application numbers in any common spelling."),
    )
    organization = forms.TypedChoiceField(
        label=_("Organisation"), coerce=int, required=False, choices=[]
    )
    key_field = forms.ChoiceField(label=_("Key field"), required=False, choices=[])
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self,
        *args: Any,
        datasets: Any = (),
        organizations: Any = (),
        key_fields: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dataset"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (d.pk, d.name) for d in datasets
        ]
        self.fields["organization"].choices = [  # type: ignore[attr-defined]
            ("", _("My organisation"))
        ] + [(o.pk, o.name) for o in organizations]
        self.fields["key_field"].choices = [("", "—"), *(key_fields or [])]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        basis = data.get("basis")
        if basis == Portfolio.Basis.OWNER and not data.get("owner"):
            self.add_error("owner", _("Name the owner."))
        if basis == Portfolio.Basis.DATASET and not data.get("dataset"):
            self.add_error("dataset", _("Choose a dataset."))
        if basis == Portfolio.Basis.HAND and not split_numbers(data.get("numbers", "")):
            self.add_error("numbers", _("List at least one patent number."))
        return data


class PortfolioChangeForm(forms.Form):
    add = forms.CharField(
        label=_("Add patents (numbers)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    remove = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=[])

    def __init__(self, *args: Any, members: list[int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["remove"].choices = [(pk, pk) for pk in members or []]  # type: ignore[attr-defined]


class EnrolForm(forms.Form):
    key_field = forms.ChoiceField(label=_("Key field"), choices=[])
    start_year = forms.IntegerField(label=_("Since"), min_value=2018)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, key_fields: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["key_field"].choices = key_fields  # type: ignore[attr-defined]
        self.fields["start_year"].initial = timezone.localdate().year
