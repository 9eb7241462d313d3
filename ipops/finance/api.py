"""JSON API of pledge finance: importing pledge records CNIPA registered — the same service as
the page and `ipops import-pledges` (a bank's script uses its API token)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, UploadedFile

from ipops.accounts.decorators import current_user
from ipops.accounts.models import Organization
from ipops.errors import InvalidInput
from ipops.finance import services

router = Router(tags=["finance"])


class ImportedPledgeOut(Schema):
    row: int
    number: str
    pledgor: str
    pledgee: str
    amount: Decimal
    status: str
    registered_on: dt.date
    patents: list[str]


class SkippedOut(Schema):
    row: int
    number: str


class PledgeImportOut(Schema):
    file: str
    sha256: str
    dry_run: bool
    created: list[ImportedPledgeOut]
    skipped: list[SkippedOut]
    warnings: list[str]


@router.post("/finance/pledges/import", response=PledgeImportOut, summary="Import pledge records")
def import_pledges(
    request: HttpRequest,
    file: File[UploadedFile],
    dry_run: Form[bool] = False,
    pledgee: Form[str] = "",
) -> dict[str, Any]:
    """Multipart: `file` (CSV or XLSX of pledges CNIPA registered; headers in the finance
    README), `dry_run` (check only), `pledgee` (credit code of the bank of records that name
    none: the bureau's choice; a bank's records are its own). All or nothing: 422
    `pledge_import_refused` with `details.problems` (row, column, header, code, message) for
    every problem, nothing written; `created` lists the pledges created (or, with `dry_run`,
    that would be); `skipped` the records the register already holds as given."""
    done = services.import_pledges(
        actor=current_user(request),
        file_name=file.name or "",
        content=file.read(services.MAX_IMPORT_BYTES + 1),
        pledgee=_pledgee(pledgee),
        dry_run=dry_run,
    )
    return done.summary()


def _pledgee(text: str) -> Organization | None:
    if not text.strip():
        return None
    found = Organization.objects.filter(uscc=text.strip().upper()).first()
    if found is None:
        raise InvalidInput(details={"pledgee": [_("No organisation with this credit code.")]})
    return found
