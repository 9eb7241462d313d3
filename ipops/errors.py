"""Errors that services raise and that views, the API and the CLI all present the same way.

A service never returns an error code or prints; it raises one of these with a stable
machine code (for the API and scripts) and a human message (translated for the UI).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class ServiceError(Exception):
    """A request the platform understood but will not carry out. Nothing was written."""

    code = "invalid"
    http_status = 400
    default_message = _("The request could not be carried out.")

    def __init__(
        self,
        message: Any = None,
        *,
        code: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        self.message = message if message is not None else self.default_message
        if code is not None:
            self.code = code
        self.details = details or {}
        super().__init__(str(self.message))


class InvalidInput(ServiceError):
    """Input that breaks a rule: `details` maps each field to what is wrong with it."""

    code = "invalid_input"
    http_status = 422
    default_message = _("Some fields are not valid.")


class Conflict(ServiceError):
    """The write would duplicate or contradict a record that already exists."""

    code = "conflict"
    http_status = 409
    default_message = _("This conflicts with an existing record.")


class NotPermitted(ServiceError):
    """The actor may not do this. Views answer 403."""

    code = "forbidden"
    http_status = 403
    default_message = _("You do not have permission to do this.")


def add_to_form(form: Any, error: ServiceError) -> None:
    """Show a service's refusal on the form that asked for it: field problems beside their
    fields, the rest at the top."""
    placed = False
    for field, messages in error.details.items():
        if not isinstance(messages, list | tuple):
            continue  # machine-readable extras such as a column number: for the API only
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)
            placed = True
    if not placed or not isinstance(error, InvalidInput):
        form.add_error(None, str(error.message))
