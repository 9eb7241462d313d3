from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ipcore.uploads import format_size
from ipops.accounts.models import Organization
from ipops.market.models import (
    DocumentKindChoices,
    KindChoices,
    ListingStatusChoices,
    StageChoices,
)
from ipops.valuation.forms import split_numbers

_MONEY: dict[str, Any] = {
    "max_digits": 16,
    "decimal_places": 2,
    "required": False,
    "min_value": 0,
}


class ListingFilterForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Offered as"), choices=[("", _("Any")), *KindChoices.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any")), *ListingStatusChoices.choices],
        required=False,
        initial=ListingStatusChoices.OPEN,
    )


class ListingForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Owner"), queryset=Organization.objects.none(), required=False
    )
    kind = forms.ChoiceField(label=_("Offered as"), choices=KindChoices.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    numbers = forms.CharField(
        label=_("Patent numbers"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Publication or application numbers, one a line (CN111994302B)."),
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    price_min = forms.DecimalField(label=_("Price from (CNY)"), **_MONEY)
    price_max = forms.DecimalField(label=_("Price up to (CNY)"), **_MONEY)
    terms = forms.CharField(
        label=_("Terms"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    contact = forms.CharField(label=_("Contact"), max_length=200)
    evaluation_report = forms.BooleanField(
        label=_("Patent evaluation report obtained"),
        required=False,
        help_text=_("Needed for an open licence of a utility model or design."),
    )

    def __init__(self, *args: Any, owners: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = owners if owners is not None else Organization.objects.none()
        if owners is None or owners.count() <= 1:
            del self.fields["organization"]

    def clean_numbers(self) -> list[str]:
        return split_numbers(self.cleaned_data["numbers"])


class NeedForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("What is needed"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Describe the technology in Chinese or English."),
    )
    field = forms.CharField(label=_("Technical field"), max_length=200, required=False)
    budget = forms.DecimalField(label=_("Budget (CNY)"), **_MONEY)


class InquiryForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the owner"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )


class MoveForm(forms.Form):
    to_stage = forms.ChoiceField(choices=StageChoices.choices)
    version = forms.IntegerField(min_value=1)
    note = forms.CharField(required=False, max_length=500)
    price = forms.DecimalField(label=_("Agreed price (CNY)"), **_MONEY)
    effective_on = forms.DateField(label=_("Contract in effect from"), required=False)
    registered_on = forms.DateField(label=_("Filed / registered on"), required=False)
    registration_number = forms.CharField(
        label=_("Filing / registration number"), required=False, max_length=64
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=DocumentKindChoices.choices)
    # an empty file reaches the service, which refuses it with the reason and audits it
    file = forms.FileField(label=_("File"), allow_empty_file=True)
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "PDF, Word (DOCX), Excel (XLSX), OFD, JPEG or PNG, up to %(limit)s. Checked by "
            "its content: a file whose name says otherwise is refused."
        ) % {"limit": format_size(settings.MARKET_MAX_UPLOAD_BYTES)}
