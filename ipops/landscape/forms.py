from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ipops.accounts.models import Organization
from ipops.corpus.fields import FieldScheme, field_refs
from ipops.landscape.models import Dataset, Project, ReportTask
from ipops.landscape.screening import DEFAULT_RESULTS, ScreeningRequest


def _definition_choices() -> list[tuple[str, Any]]:
    """Every field a dataset can be made from, grouped by scheme (``ipops.corpus.fields``)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for ref in field_refs():
        code = "" if ref.scheme is FieldScheme.KEY else f"{ref.code} "
        groups.setdefault(ref.scheme_label(), []).append((ref.key, f"{code}{ref.name()}"))
    return [("", "—"), *groups.items()]


class DatasetForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    strategy = forms.ChoiceField(
        label=_("Found by"), choices=Dataset.Strategy.choices, initial=Dataset.Strategy.KEYWORD
    )
    query = forms.CharField(
        label=_("Query, description or patent numbers"),
        max_length=20_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    definition = forms.ChoiceField(
        label=_("Field definition"),
        choices=_definition_choices,
        required=False,
        help_text=_(
            "For “field definition”: a key field, a strategic emerging industry or a WIPO "
            "technology field; the dataset holds every patent the definition places in it."
        ),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        """A field dataset's query is the field's key (``key:ai``); every other kind needs a
        query."""
        cleaned = super().clean() or {}
        definition = cleaned.pop("definition", "")
        if cleaned.get("strategy") == Dataset.Strategy.FIELD:
            if not definition:
                self.add_error("definition", _("Choose a field definition."))
            cleaned["query"] = definition
        elif not cleaned.get("query", "").strip() and "query" not in self.errors:
            self.add_error("query", forms.Field.default_error_messages["required"])
        return cleaned


class MembersForm(forms.Form):
    """Patents to exclude from (or take back into) a dataset's analysis, or to tag."""

    patents = forms.TypedMultipleChoiceField(coerce=int, choices=[], required=True)
    tag = forms.CharField(label=_("Tag"), required=False, max_length=100)

    def __init__(self, *args: object, choices: list[int], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["patents"].choices = [(pk, pk) for pk in choices]  # type: ignore[attr-defined]


class ReportForm(forms.Form):
    lang = forms.ChoiceField(
        choices=[("zh-hans", "中文"), ("en", "English")], required=False, initial="zh-hans"
    )


class ReportTaskForm(forms.Form):
    """报告文件 — which file of a dataset's report to write in the background."""

    file_format = forms.ChoiceField(
        label=_("Format"),
        choices=ReportTask.Format.choices,
        initial=ReportTask.Format.PDF,
        widget=forms.RadioSelect,
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=ReportTask.Language.choices,
        initial=ReportTask.Language.CHINESE,
    )


class ProjectForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=Project.Kind.choices)
    client = forms.ModelChoiceField(
        label=_("Client"), queryset=Organization.objects.none(), required=False
    )
    description = forms.CharField(
        label=_("Need and scope"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    due_on = forms.DateField(
        label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, clients: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = clients  # type: ignore[attr-defined]


class MoveForm(forms.Form):
    to_stage = forms.ChoiceField(choices=Project.Stages.choices)
    note = forms.CharField(max_length=500, required=False)


class AttachForm(forms.Form):
    dataset = forms.ModelChoiceField(label=_("Dataset"), queryset=Dataset.objects.none())

    def __init__(self, *args: Any, datasets: QuerySet[Dataset], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dataset"].queryset = datasets  # type: ignore[attr-defined]


# --- risk screening and organisation profiles --------------------------------------------------


class ScreeningForm(forms.Form):
    """目标市场风险排查 — what to screen for, at which office, as of which day."""

    description = forms.CharField(
        label=_("Product or technology"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("In Chinese or English, as you would describe it to a colleague."),
    )
    office = forms.ChoiceField(label=_("Target office"), choices=[])
    classes = forms.CharField(
        label=_("IPC/CPC classes"),
        required=False,
        max_length=300,
        help_text=_("Optional, separated by spaces or commas: B64U H01M10/44"),
    )
    filed_from = forms.DateField(
        label=_("Filed from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    filed_to = forms.DateField(
        label=_("Filed until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    as_of = forms.DateField(
        label=_("As of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The day the patents must be in force; today when empty."),
    )
    limit = forms.IntegerField(
        label=_("Rows per class"), required=False, min_value=1, max_value=200, initial=50
    )

    def __init__(self, *args: Any, offices: dict[str, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ranked = sorted(offices.items(), key=lambda item: (-item[1], item[0]))
        self.fields["office"].choices = [  # type: ignore[attr-defined]
            (code, f"{code} ({count:,})") for code, count in ranked
        ]

    def screening_request(self) -> ScreeningRequest:
        data = self.cleaned_data
        return ScreeningRequest(
            description=data["description"],
            office=data["office"],
            classes=tuple(re.split(r"[\s,;，；、]+", data["classes"].strip()))
            if data["classes"].strip()
            else (),
            filed_from=data["filed_from"],
            filed_to=data["filed_to"],
            as_of=data["as_of"],
            limit=data["limit"] or DEFAULT_RESULTS,
        )


class SaveScreeningForm(forms.Form):
    """Keep the ticked patents of a screening as a dataset, optionally in a project."""

    name = forms.CharField(label=_("Dataset name"), max_length=200)
    numbers = forms.MultipleChoiceField(label=_("Patents"), choices=[])
    description = forms.CharField(required=False, max_length=5000, widget=forms.HiddenInput)
    back = forms.CharField(required=False, max_length=8000, widget=forms.HiddenInput)
    project = forms.ModelChoiceField(
        label=_("Attach to project"), queryset=Project.objects.none(), required=False
    )

    def __init__(
        self, *args: Any, numbers: list[str], projects: QuerySet[Project], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["numbers"].choices = [(n, n) for n in numbers]  # type: ignore[attr-defined]
        self.fields["project"].queryset = projects  # type: ignore[attr-defined]


class OrganisationSearchForm(forms.Form):
    q = forms.CharField(label=_("Organisation name"), max_length=200, required=False)


class ProfileForm(forms.Form):
    as_of = forms.DateField(
        label=_("As of"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    lang = forms.ChoiceField(
        choices=[("zh-hans", "中文"), ("en", "English")], required=False, initial="zh-hans"
    )
