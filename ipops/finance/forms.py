from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ipcore.access import OrganizationKind
from ipops.accounts.models import Organization
from ipops.finance.models import Pledge
from ipops.valuation.forms import split_numbers


class PledgeForm(forms.Form):
    pledgor = forms.ModelChoiceField(
        label=_("Pledgor"), queryset=Organization.objects.order_by("name")
    )
    numbers = forms.CharField(
        label=_("Patent numbers"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Publication or application numbers, one a line (CN111994302B)."),
    )
    claim_type = forms.ChoiceField(label=_("Secured claim"), choices=Pledge.ClaimType.choices)
    amount = forms.DecimalField(label=_("Secured amount (CNY)"), max_digits=16, decimal_places=2)
    debt_start = forms.DateField(label=_("Debt term from"))
    debt_end = forms.DateField(label=_("Debt term to"))
    guarantee_scope = forms.CharField(
        label=_("Guarantee scope"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    valuation = forms.CharField(label=_("Valuation report"), max_length=300, required=False)
    consents = forms.CharField(
        label=_("Co-owners who consented"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Each co-owner's name as on the patent, one a line."),
    )

    def clean_numbers(self) -> list[str]:
        return split_numbers(self.cleaned_data["numbers"])

    def clean_consents(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["consents"].splitlines() if line.strip()]

    def application_values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class PledgeChangeForm(forms.Form):
    amount = forms.DecimalField(label=_("Secured amount (CNY)"), max_digits=16, decimal_places=2)
    debt_end = forms.DateField(label=_("Debt term to"))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class PledgeImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8 or GBK) or XLSX, at most 10,000 records."),
    )
    pledgee = forms.ModelChoiceField(
        label=_("Pledgee of records that name none"),
        queryset=Organization.objects.filter(kind=OrganizationKind.BANK).order_by("name"),
        required=False,
    )

    def __init__(self, *args: Any, may_choose_pledgee: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_choose_pledgee:  # a bank's records are its own
            del self.fields["pledgee"]
