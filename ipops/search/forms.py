from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ipops.search.engine import Sort, Strategy
from ipops.search.models import SavedSearch

SORTS = [
    (Sort.RELEVANCE.value, _("Relevance")),
    (Sort.NEWEST.value, _("Newest first")),
    (Sort.OLDEST.value, _("Oldest first")),
]


# Search modes: the two keyword modes a saved search keeps, plus meaning and both fused.
MODES = [
    *SavedSearch.Mode.choices,
    (Strategy.SEMANTIC.value, _("Meaning: describe the invention, any language")),
    (Strategy.HYBRID.value, _("Keyword and meaning together")),
]


def strategy_of(mode: str) -> tuple[Strategy, bool]:
    """(strategy, stemmed) for a mode chosen on the page or saved with a search."""
    if mode in (Strategy.SEMANTIC, Strategy.HYBRID):
        return Strategy(mode), False
    return Strategy.KEYWORD, mode == SavedSearch.Mode.STEMMED


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Query"), max_length=2000, required=False)
    sort = forms.ChoiceField(label=_("Sort"), choices=SORTS, required=False)
    mode = forms.ChoiceField(label=_("Mode"), choices=MODES, required=False)
    like = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    cursor = forms.CharField(required=False, widget=forms.HiddenInput)


class SaveSearchForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    query = forms.CharField(label=_("Query"), max_length=2000, widget=forms.HiddenInput)
    mode = forms.ChoiceField(
        choices=SavedSearch.Mode.choices, initial=SavedSearch.Mode.KEYWORD, widget=forms.HiddenInput
    )
