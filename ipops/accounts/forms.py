"""Forms parse and check the shape of input; the rules themselves live in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ipcore.divisions import current_divisions, division_label
from ipops.accounts.models import EngagementKind, OrganizationKindChoices, SizeClassChoices


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=_("Current password"), widget=forms.PasswordInput, strip=False
    )
    new_password = forms.CharField(label=_("New password"), widget=forms.PasswordInput, strip=False)
    new_password_again = forms.CharField(
        label=_("New password again"), widget=forms.PasswordInput, strip=False
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", _("The two passwords differ."))
        return data


class SetPasswordForm(PasswordChangeForm):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        del self.fields["old_password"]


class PasswordResetForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))


def shanghai_districts() -> list[tuple[str, str]]:
    """The districts offered as suggestions; any current GB/T 2260 code is accepted."""
    return [
        (d.code, division_label(d.code))
        for d in current_divisions("county")
        if d.code.startswith("31")
    ]


class OrganizationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganizationKindChoices.choices)
    uscc = forms.CharField(
        label=_("Unified social credit code"),
        max_length=40,
        help_text=_("18 characters, GB 32100-2015; the check character is verified."),
    )
    division_code = forms.RegexField(
        label=_("District"),
        regex=r"^\d{6}$",
        initial="310115",
        error_messages={"invalid": _("Six digits (GB/T 2260), e.g. 310115 for Pudong.")},
        help_text=_("GB/T 2260 county-level code; Shanghai's districts are suggested."),
        widget=forms.TextInput(attrs={"list": "districts", "inputmode": "numeric"}),
    )
    size_class = forms.ChoiceField(
        label=_("Size"),
        choices=[("", _("Not applicable")), *SizeClassChoices.choices],
        required=False,
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)


class AccountForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    display_name = forms.CharField(label=_("Display name"), max_length=100, required=False)
    email = forms.EmailField(label=_("E-mail address"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    password = forms.CharField(label=_("Initial password"), widget=forms.PasswordInput, strip=False)


class EngagementForm(forms.Form):
    client = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Service"), choices=EngagementKind.choices)


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    expires_in_days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=3650, required=False
    )
