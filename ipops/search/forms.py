from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ipops.search.engine import Sort
from ipops.search.models import SavedSearch

SORTS = [
    (Sort.RELEVANCE.value, _("Relevance")),
    (Sort.NEWEST.value, _("Newest first")),
    (Sort.OLDEST.value, _("Oldest first")),
]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Query"), max_length=2000, required=False)
    sort = forms.ChoiceField(label=_("Sort"), choices=SORTS, required=False)
    mode = forms.ChoiceField(label=_("Mode"), choices=SavedSearch.Mode.choices, required=False)
    cursor = forms.CharField(required=False, widget=forms.HiddenInput)


class SaveSearchForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    query = forms.CharField(label=_("Query"), max_length=2000, widget=forms.HiddenInput)
    mode = forms.ChoiceField(
        choices=SavedSearch.Mode.choices, initial=SavedSearch.Mode.KEYWORD, widget=forms.HiddenInput
    )
