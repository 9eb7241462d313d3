"""Every write of pledges: registering one (after the refusal checks) and releasing it.
Each is one transaction with its audit entry and the CNIPA legal events on the patents;
a refused registration writes only the audit entry of the attempt, with its reasons."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ipcore.access import Capability
from ipcore.market.money import in_wan
from ipcore.market.pledge_import import ImportPlan, plan_import
from ipcore.market.pledge_records import MAX_UPLOAD_BYTES, RecordProblem, read_pledge_upload
from ipcore.market.pledges import (
    PledgeGround,
    PledgeTerms,
    Refusal,
    may_register,
    pledge_refusals,
)
from ipops.accounts.models import Organization, User
from ipops.accounts.queries import require_capability, viewer_of
from ipops.audit.actions import Action
from ipops.audit.services import TargetRef, record_write
from ipops.corpus.models import Patent
from ipops.corpus.services import record_legal_events
from ipops.errors import Conflict, InvalidInput, NotPermitted
from ipops.finance import queries
from ipops.finance.models import STANDING, Pledge, PledgePatent
from ipops.notifications.services import notify
from ipops.valuation.numbers import patents_numbered

MAX_AMOUNT: Final = Decimal("99999999999999.99")
MAX_PATENTS: Final = 500


@dataclass(frozen=True)
class PledgeApplication:
    """质押登记申请 — what the pledgee and pledgor apply with."""

    pledgor: Organization
    numbers: Sequence[str]
    claim_type: str
    amount: Decimal
    debt_start: dt.date
    debt_end: dt.date
    guarantee_scope: str = ""
    valuation: str = ""
    consents: Sequence[str] = ()


@dataclass(frozen=True)
class PledgeCheck:
    patents: list[Patent]
    refusals: list[Refusal]

    @property
    def registrable(self) -> bool:
        return may_register(self.refusals)

    def reasons(self) -> list[str]:
        zh = (get_language() or "zh-hans").startswith("zh")
        return [r.message_zh if zh else r.message_en for r in self.refusals]


def check_pledge(*, actor: Any, application: PledgeApplication) -> PledgeCheck:
    """The refusal grounds a registration would meet, before registering (a read: nothing is
    written). InvalidInput for numbers that are not corpus patents."""
    require_capability(actor, Capability.VIEW_PLEDGES)
    patents = _patents(application.numbers)
    today = timezone.localdate()
    terms = PledgeTerms(application.amount, application.debt_start, application.debt_end)
    facts = queries.pledge_facts(patents, application.pledgor.pk, list(application.consents), today)
    return PledgeCheck(patents, pledge_refusals(terms, facts))


def _patents(numbers: Sequence[str]) -> list[Patent]:
    cleaned = list(dict.fromkeys(n.strip() for n in numbers if n.strip()))
    if not cleaned:
        raise InvalidInput(details={"numbers": [_("List at least one patent number.")]})
    if len(cleaned) > MAX_PATENTS:
        raise InvalidInput(details={"numbers": [_("Too many patents for one pledge.")]})
    found = patents_numbered(cleaned)
    missing = [n for n, ids in found.items() if len(ids) != 1]
    if missing:
        raise InvalidInput(
            details={
                "numbers": [
                    _("Not in the corpus (or not one patent): %(numbers)s")
                    % {"numbers": ", ".join(missing)}
                ]
            }
        )
    ids = list(dict.fromkeys(ids[0] for ids in found.values()))
    return list(Patent.objects.filter(pk__in=ids).order_by("pk"))


def register_pledge(*, actor: Any, application: PledgeApplication) -> Pledge:
    """Register a pledge held by the actor's bank. Refused (InvalidInput with every reason,
    the attempt audited) when a ground certainly refuses it; grounds the platform cannot
    check (annual fee payments) are for the applicants to confirm and do not refuse it."""
    require_capability(actor, Capability.REGISTER_PLEDGES)
    pledgee_id = viewer_of(actor).organization_id
    if pledgee_id is None:
        raise NotPermitted(_("Only a member of a financial institution can register a pledge."))
    if application.amount > MAX_AMOUNT:
        raise InvalidInput(details={"amount": [_("The amount is too large.")]})
    check = check_pledge(actor=actor, application=application)
    if not check.registrable:
        reasons = [
            r for r, refusal in zip(check.reasons(), check.refusals, strict=True) if refusal.certain
        ]
        with transaction.atomic():
            record_write(
                actor=actor,
                action=Action.PLEDGE_REFUSED,
                target=application.pledgor,
                new={"numbers": list(application.numbers), "reasons": reasons},
            )
        raise InvalidInput(details={"numbers": reasons}, code="pledge_refused")
    today = timezone.localdate()
    with transaction.atomic():
        pledge = Pledge.objects.create(
            number=f"pending-{timezone.now().timestamp()}",
            pledgor=application.pledgor,
            pledgee_id=pledgee_id,
            claim_type=application.claim_type,
            amount=application.amount,
            debt_start=application.debt_start,
            debt_end=application.debt_end,
            guarantee_scope=application.guarantee_scope.strip(),
            valuation=application.valuation.strip()[:300],
            consents=[c.strip() for c in application.consents if c.strip()],
            registered_on=today,
            created_by=actor,
        )
        pledge.number = f"Y{today.year}{pledge.pk:08d}"
        pledge.save(update_fields=["number"])
        PledgePatent.objects.bulk_create(
            PledgePatent(pledge=pledge, patent=p) for p in check.patents
        )
        record_legal_events(
            actor=actor,
            events=[
                (p.pk, "PE01", today, f"专利权质押登记 {pledge.number}") for p in check.patents
            ],
            reason=pledge.number,
        )
        record_write(
            actor=actor,
            action=Action.PLEDGE_REGISTERED,
            target=pledge,
            new={
                "pledgor": application.pledgor.pk,
                "pledgee": pledgee_id,
                "amount": application.amount,
                "debt_term": [application.debt_start, application.debt_end],
                "patents": [p.display_number for p in check.patents],
                "unchecked": [r.ground.value for r in check.refusals],
            },
        )
        _tell(pledge, _("Pledge %(number)s registered") % {"number": pledge.number})
    return pledge


def release_pledge(*, actor: Any, pledge: Pledge, note: str = "") -> Pledge:
    """注销 — the pledgee bank (or the bureau) releases a registered pledge; PC01 on each
    patent."""
    viewer = viewer_of(actor)
    if not (viewer.sees_everything or pledge.pledgee_id == viewer.organization_id):
        raise NotPermitted(_("Only the pledgee may release a pledge."))
    today = timezone.localdate()
    with transaction.atomic():
        if not Pledge.objects.filter(pk=pledge.pk, status__in=STANDING).update(
            status=Pledge.Status.RELEASED, released_on=today
        ):
            raise Conflict(_("This pledge is already released."), code="pledge_released")
        ids = list(pledge.items.values_list("patent_id", flat=True))
        record_legal_events(
            actor=actor,
            events=[(pk, "PC01", today, f"专利权质押登记注销 {pledge.number}") for pk in ids],
            reason=pledge.number,
        )
        record_write(
            actor=actor,
            action=Action.PLEDGE_RELEASED,
            target=pledge,
            old={"status": pledge.status},
            new={"status": Pledge.Status.RELEASED, "note": note},
        )
        pledge.refresh_from_db()
        _tell(pledge, _("Pledge %(number)s released") % {"number": pledge.number})
    return pledge


_CHANGE_GROUNDS: Final = frozenset(
    {PledgeGround.BAD_AMOUNT, PledgeGround.BAD_TERM, PledgeGround.TERM_TOO_LONG}
)


def change_pledge(
    *, actor: Any, pledge: Pledge, amount: Decimal, debt_end: dt.date, note: str = ""
) -> Pledge:
    """变更 — the pledgee changes the secured amount or extends the debt term of a standing
    pledge; refused with the reasons (the attempt audited) for an amount that is not positive
    or a term past a patent's expiry. PM01 on each patent."""
    viewer = viewer_of(actor)
    if pledge.pledgee_id != viewer.organization_id:
        raise NotPermitted(_("Only the pledgee may change a pledge."))
    if amount > MAX_AMOUNT:
        raise InvalidInput(details={"amount": [_("The amount is too large.")]})
    today = timezone.localdate()
    patents = queries.patents_of(pledge)
    terms = PledgeTerms(amount, pledge.debt_start, debt_end)
    facts = queries.pledge_facts(patents, pledge.pledgor_id, pledge.consents, today)
    refusals = [
        r for r in pledge_refusals(terms, facts) if r.ground in _CHANGE_GROUNDS and r.certain
    ]
    if refusals:
        zh = (get_language() or "zh-hans").startswith("zh")
        reasons = [r.message_zh if zh else r.message_en for r in refusals]
        with transaction.atomic():
            record_write(
                actor=actor,
                action=Action.PLEDGE_CHANGE_REFUSED,
                target=pledge,
                new={"reasons": reasons},
            )
        raise InvalidInput(details={"amount": reasons}, code="pledge_change_refused")
    old = {"amount": pledge.amount, "debt_end": pledge.debt_end}
    with transaction.atomic():
        if not Pledge.objects.filter(pk=pledge.pk, status__in=STANDING).update(
            status=Pledge.Status.CHANGED, amount=amount, debt_end=debt_end, changed_on=today
        ):
            raise Conflict(_("This pledge is already released."), code="pledge_released")
        record_legal_events(
            actor=actor,
            events=[(p.pk, "PM01", today, f"专利权质押登记变更 {pledge.number}") for p in patents],
            reason=pledge.number,
        )
        record_write(
            actor=actor,
            action=Action.PLEDGE_CHANGED,
            target=pledge,
            old=old,
            new={"amount": amount, "debt_end": debt_end, "note": note},
        )
        pledge.refresh_from_db()
        _tell(pledge, _("Pledge %(number)s changed") % {"number": pledge.number})
    return pledge


def _tell(pledge: Pledge, subject: str) -> None:
    people = User.objects.filter(
        organization_id__in=[pledge.pledgor_id, pledge.pledgee_id], is_active=True
    )
    notify(
        recipients=people,
        subject=subject,
        body=f"{pledge.pledgor.name} → {pledge.pledgee.name} · {in_wan(pledge.amount)}",
        link=reverse("finance:pledge_detail", args=[pledge.pk]),
    )


# --- importing pledge records CNIPA registered -----------------------------------------------

MAX_IMPORT_BYTES: Final = MAX_UPLOAD_BYTES
MAX_LISTED_PROBLEMS: Final = 200
_EVENTS: Final = {  # the legal event each registration step writes, and its wording
    "registered": ("PE01", "专利权质押登记"),
    "changed": ("PM01", "专利权质押登记变更"),
    "released": ("PC01", "专利权质押登记注销"),
}


@dataclass(frozen=True)
class PledgeImport:
    """One file's import (or its dry run): what was (or would be) created, the records the
    register already held (skipped) and the warnings; ``pledges`` are the rows created."""

    file_name: str
    sha256: str
    plan: ImportPlan
    dry_run: bool
    pledges: tuple[Pledge, ...] = ()

    def warnings(self, language: str | None = None) -> list[str]:
        language = language or get_language() or "zh-hans"
        return [warning.located(language) for warning in self.plan.warnings]

    def summary(self, language: str | None = None) -> dict[str, Any]:
        """What the API answers and `ipops import-pledges --json` prints."""
        return {
            "file": self.file_name,
            "sha256": self.sha256,
            "dry_run": self.dry_run,
            "created": [
                {
                    "row": line.record.row,
                    "number": line.record.number,
                    "pledgor": line.pledgor.name,
                    "pledgee": line.pledgee.name,
                    "amount": line.record.amount,
                    "status": line.record.status.value,
                    "registered_on": line.record.registered_on,
                    "patents": [p.number for p in line.record.patents],
                }
                for line in self.plan.planned
            ],
            "skipped": [{"row": r.row, "number": r.number} for r in self.plan.skipped],
            "warnings": self.warnings(language),
        }


class PledgeImportRefused(InvalidInput):
    """A file with problems: nothing was imported. ``problems`` are located (row, column)."""

    code = "pledge_import_refused"

    def __init__(self, problems: Sequence[RecordProblem]) -> None:
        language = get_language() or "zh-hans"
        self.problems = tuple(problems)
        listed = [problem.located(language) for problem in problems[:MAX_LISTED_PROBLEMS]]
        if len(problems) > MAX_LISTED_PROBLEMS:
            more = len(problems) - MAX_LISTED_PROBLEMS
            listed.append(_("… and %(count)s more problems.") % {"count": more})
        super().__init__(
            _("The file was not imported: %(count)s problems. Nothing was written.")
            % {"count": len(problems)},
            details={
                "file": listed,
                "problems": [_problem_json(p, language) for p in problems[:MAX_LISTED_PROBLEMS]],
            },
        )


def _problem_json(problem: RecordProblem, language: str) -> dict[str, Any]:
    return {
        "row": problem.row,
        "column": problem.column,
        "header": problem.header,
        "code": problem.code,
        "message": problem.message(language),
    }


def check_pledge_import(
    *, actor: Any, file_name: str, content: bytes, pledgee: Organization | None = None
) -> PledgeImport:
    """Read a file of pledge records and check every record against the platform (a read:
    nothing is written). PledgeImportRefused lists every problem with its row and column."""
    _may_import(actor, pledgee)
    digest = hashlib.sha256(content).hexdigest()
    read = read_pledge_upload(
        file_name, content, today=timezone.localdate(), max_bytes=MAX_IMPORT_BYTES
    )
    plan = (
        plan_import(read, queries.pledge_import_facts(actor, read, pledgee))
        if not read.problems
        else ImportPlan((), (), read.problems, ())
    )
    if plan.problems:
        raise PledgeImportRefused(plan.problems)
    return PledgeImport(file_name, digest, plan, dry_run=True)


def import_pledges(
    *,
    actor: Any,
    file_name: str,
    content: bytes,
    pledgee: Organization | None = None,
    dry_run: bool = False,
) -> PledgeImport:
    """导入质押登记记录 — load pledges CNIPA registered (a bank's book, register extracts) into
    the register, all or nothing: any problem refuses the whole file (the attempt audited,
    nothing else written). Otherwise one transaction creates each pledge with its CNIPA number,
    dates and status, the legal events on its patents (PE01 on the registration date, PM01 and
    PC01 on the change and release dates), an audit entry for each pledge and one for the file.
    Records the register holds as given are skipped, so importing a file again changes
    nothing. A bank imports the pledges it holds; the bureau and the platform any, with
    ``pledgee`` standing for records that name none. ``dry_run`` checks and writes nothing."""
    try:
        checked = check_pledge_import(
            actor=actor, file_name=file_name, content=content, pledgee=pledgee
        )
    except PledgeImportRefused as refused:
        if not dry_run:
            _audit_refusal(actor, file_name, content, refused.problems)
        raise
    if dry_run:
        return checked
    try:
        with transaction.atomic():
            pledges = _write_import(actor, checked)
    except IntegrityError:
        raise Conflict(
            _("Some of these pledges were registered meanwhile; import the file again."),
            code="pledge_import_conflict",
        ) from None
    return PledgeImport(file_name, checked.sha256, checked.plan, False, tuple(pledges))


def _may_import(actor: Any, pledgee: Organization | None) -> None:
    if actor is None:  # the platform itself: an `ipops` command
        return
    require_capability(actor, Capability.IMPORT_PLEDGES)
    viewer = viewer_of(actor)
    if viewer.sees_everything:
        return
    if viewer.organization_id is None:
        raise NotPermitted(_("Only a member of a financial institution can import its pledges."))
    if pledgee is not None and pledgee.pk != viewer.organization_id:
        raise NotPermitted(_("A bank imports only the pledges it holds."))


def _audit_refusal(
    actor: Any, file_name: str, content: bytes, problems: Sequence[RecordProblem]
) -> None:
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        record_write(
            actor=actor,
            action=Action.PLEDGE_IMPORT_REFUSED,
            target=TargetRef("finance.pledge_import", digest[:16], file_name[:255]),
            new={
                "file": file_name,
                "sha256": digest,
                "problem_count": len(problems),
                "problems": [[p.row, p.column, p.code] for p in problems[:MAX_LISTED_PROBLEMS]],
            },
        )


def _write_import(actor: Any, checked: PledgeImport) -> list[Pledge]:
    """Inside the import's transaction: the pledges, their patents, the legal events and the
    audit entries."""
    planned = checked.plan.planned
    created_by = actor if getattr(actor, "is_authenticated", False) else None
    pledges = Pledge.objects.bulk_create(
        Pledge(
            number=line.record.number,
            pledgor_id=line.pledgor.id,
            pledgee_id=line.pledgee.id,
            claim_type=line.record.claim_kind.value,
            amount=line.record.amount,
            debt_start=line.record.debt_start,
            debt_end=line.record.debt_end,
            guarantee_scope=line.record.guarantee_scope,
            status=line.record.status.value,
            registered_on=line.record.registered_on,
            changed_on=line.record.changed_on,
            released_on=line.record.released_on,
            created_by=created_by,
        )
        for line in planned
    )
    PledgePatent.objects.bulk_create(
        PledgePatent(pledge=pledge, patent_id=pk)
        for pledge, line in zip(pledges, planned, strict=True)
        for pk in line.patent_ids
    )
    events = [
        (pk, code, date, f"{words} {line.record.number}")
        for line in planned
        for step, date in (
            ("registered", line.record.registered_on),
            ("changed", line.record.changed_on),
            ("released", line.record.released_on),
        )
        if date is not None
        for code, words in (_EVENTS[step],)
        for pk in line.patent_ids
    ]
    if events:
        record_legal_events(actor=actor, events=events, reason=f"import {checked.file_name}")
    for pledge, line in zip(pledges, planned, strict=True):
        record_write(
            actor=actor,
            action=Action.PLEDGE_IMPORTED,
            target=pledge,
            new={
                "row": line.record.row,
                "file_sha256": checked.sha256,
                "pledgor": line.pledgor.id,
                "pledgee": line.pledgee.id,
                "amount": line.record.amount,
                "status": line.record.status.value,
                "registered_on": line.record.registered_on,
                "patents": [p.number for p in line.record.patents],
            },
        )
    record_write(
        actor=actor,
        action=Action.PLEDGE_FILE_IMPORTED,
        target=TargetRef("finance.pledge_import", checked.sha256[:16], checked.file_name[:255]),
        new={
            "file": checked.file_name,
            "sha256": checked.sha256,
            "created": len(pledges),
            "skipped": [r.number for r in checked.plan.skipped][:MAX_LISTED_PROBLEMS],
            "warnings": len(checked.plan.warnings),
        },
    )
    return pledges
