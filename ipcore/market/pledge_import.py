"""Checking pledge records read from a file against the platform: who the parties are, which
corpus patents the numbers name, what the register already holds. Over plain facts the caller
gathers (organisations, patent ids and lives, registered pledges), like the refusal grounds in
``pledges``.

CNIPA has already registered these pledges, so the refusal grounds of a new registration do
not refuse them; a patent the corpus shows not in force on the registration date is a warning
to look into, not a problem. What is a problem: a party or patent the platform does not know
(it cannot point a pledge at it), a pledge a bank imports for another pledgee, and a
registration number the register holds with other particulars. A record the register holds
exactly as given is skipped, so loading the same file twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final

from ipcore.legal_status import STATUS_LABELS_ZH, PatentLife, Status, status_on
from ipcore.market.pledge_records import PartyRef, PledgeRecord, PledgeRecords, RecordProblem
from ipcore.market.pledge_values import Field

# The platform numbers its own registrations Y<year><8 digits> (see finance.services); a
# number of that form must be one of them, or a later registration would collide with it.
PLATFORM_NUMBER: Final = re.compile(r"Y\d{12}")


@dataclass(frozen=True)
class KnownOrganisation:
    id: int
    name: str
    uscc: str


@dataclass(frozen=True)
class RegisteredPledge:
    """A pledge the register holds, as the fields a record gives."""

    number: str
    pledgor_id: int
    pledgee_id: int
    claim_kind: str
    amount: Decimal
    debt_start: dt.date
    debt_end: dt.date
    registered_on: dt.date
    status: str
    changed_on: dt.date | None
    released_on: dt.date | None
    guarantee_scope: str
    patent_ids: frozenset[int]
    visible: bool = True  # may the importer see its particulars


@dataclass(frozen=True)
class ImportFacts:
    """What the platform knows that the records are checked against.

    ``by_name`` is keyed by ``name_key`` (the platform's own key of organisation names);
    ``patents`` gives the corpus ids each record number (``PatentRef.number``) names;
    ``only_pledgee`` is the importing bank (it imports the pledges it holds, nobody else's);
    ``default_pledgee`` stands for a record that names none."""

    by_uscc: Mapping[str, KnownOrganisation]
    by_name: Mapping[str, KnownOrganisation]
    name_key: Callable[[str], str]
    patents: Mapping[str, Sequence[int]]
    lives: Mapping[int, PatentLife] = field(default_factory=dict)
    patent_numbers: Mapping[int, str] = field(default_factory=dict)  # id → number as shown
    registered: Mapping[str, RegisteredPledge] = field(default_factory=dict)
    default_pledgee: KnownOrganisation | None = None
    only_pledgee: KnownOrganisation | None = None


@dataclass(frozen=True)
class PlannedPledge:
    record: PledgeRecord
    pledgor: KnownOrganisation
    pledgee: KnownOrganisation
    patent_ids: tuple[int, ...]


@dataclass(frozen=True)
class ImportPlan:
    """What loading the records would do: the pledges to create, the records already in the
    register (skipped), every problem (any one refuses the file) and warnings (which do not)."""

    planned: tuple[PlannedPledge, ...]
    skipped: tuple[PledgeRecord, ...]
    problems: tuple[RecordProblem, ...]
    warnings: tuple[RecordProblem, ...]

    @property
    def importable(self) -> bool:
        return not self.problems


def plan_import(read: PledgeRecords, facts: ImportFacts) -> ImportPlan:
    """Check each record read from a file (which had no problem of its own) against ``facts``."""
    checker = _Checker(read, facts)
    planned: list[PlannedPledge] = []
    skipped: list[PledgeRecord] = []
    for record in read.records:
        outcome = checker.check(record)
        if isinstance(outcome, PlannedPledge):
            planned.append(outcome)
        elif outcome is not None:
            skipped.append(outcome)
    return ImportPlan(
        tuple(planned), tuple(skipped), tuple(checker.problems), tuple(checker.warnings)
    )


# Fields compared with the register, and their names in a message.
_COMPARED: Final = (
    ("pledgor", "出质人", "pledgor"),
    ("pledgee", "质权人", "pledgee"),
    ("claim_kind", "债权种类", "claim type"),
    ("amount", "债权数额", "amount"),
    ("debt_start", "债务起始日", "debt start"),
    ("debt_end", "债务到期日", "debt end"),
    ("registered_on", "登记日", "registration date"),
    ("status", "状态", "status"),
    ("changed_on", "变更日", "change date"),
    ("released_on", "注销日", "release date"),
    ("guarantee_scope", "担保范围", "guarantee scope"),
    ("patents", "专利", "patents"),
)
_HOW_TO_ADD: Final = (
    "请先由知识产权局在“机构”页面（或用 ipops createorg）登记该机构",
    "the bureau adds it first (Organisations page, or `ipops createorg`)",
)


class _Checker:
    def __init__(self, read: PledgeRecords, facts: ImportFacts) -> None:
        self.read = read
        self.facts = facts
        self.problems: list[RecordProblem] = []
        self.warnings: list[RecordProblem] = []

    def _problem(self, row: int, at: Field | None, code: str, zh: str, en: str) -> None:
        self.problems.append(self.read.problem(row, at, code, zh, en))

    def _warning(self, row: int, at: Field | None, code: str, zh: str, en: str) -> None:
        self.warnings.append(self.read.problem(row, at, code, zh, en))

    def check(self, record: PledgeRecord) -> PlannedPledge | PledgeRecord | None:
        """The pledge to create, the record itself when the register holds it already, or
        None when it has a problem."""
        before = len(self.problems)
        pledgor = self._organisation(record, record.pledgor, pledgor=True)
        pledgee = self._pledgee(record)
        if pledgor and pledgee and pledgor.id == pledgee.id:
            self._problem(
                record.row,
                Field.PLEDGEE_USCC if record.pledgee.uscc else Field.PLEDGEE_NAME,
                "same_party",
                f"出质人与质权人是同一机构（{pledgor.name}）",
                f"the pledgor and the pledgee are the same organisation ({pledgor.name})",
            )
        patent_ids = self._patents(record)
        if len(self.problems) > before or pledgor is None or pledgee is None:
            return None
        registered = self.facts.registered.get(record.number)
        if registered is not None:
            return self._against_register(record, registered, pledgor, pledgee, patent_ids)
        if PLATFORM_NUMBER.fullmatch(record.number):
            self._problem(
                record.row,
                Field.NUMBER,
                "platform_number",
                f"{record.number} 是本平台登记号的格式，但平台没有这一登记",
                f"{record.number} has the form of this platform's own registration numbers, "
                "but the platform registered no such pledge",
            )
            return None
        self._not_in_force(record, patent_ids)
        return PlannedPledge(record, pledgor, pledgee, patent_ids)

    def _organisation(
        self, record: PledgeRecord, party: PartyRef, *, pledgor: bool
    ) -> KnownOrganisation | None:
        who_zh, who_en = ("出质人", "pledgor") if pledgor else ("质权人", "pledgee")
        code_field, name_field = (
            (Field.PLEDGOR_USCC, Field.PLEDGOR_NAME)
            if pledgor
            else (Field.PLEDGEE_USCC, Field.PLEDGEE_NAME)
        )
        if party.uscc:
            found = self.facts.by_uscc.get(party.uscc)
            if found is None:
                self._problem(
                    record.row,
                    code_field,
                    "unknown_organisation",
                    f"平台上没有统一社会信用代码为 {party.uscc} 的{who_zh}：{_HOW_TO_ADD[0]}",
                    f"no {who_en} with credit code {party.uscc} on the platform: {_HOW_TO_ADD[1]}",
                )
            elif party.name and self.facts.name_key(party.name) != self.facts.name_key(found.name):
                self._warning(
                    record.row,
                    name_field,
                    "name_differs",
                    f"代码 {party.uscc} 在平台上是“{found.name}”，文件中写作“{party.name}”",
                    f"credit code {party.uscc} is {found.name} on the platform; the file "
                    f"names {party.name}",
                )
            return found
        found = self.facts.by_name.get(self.facts.name_key(party.name))
        if found is None:
            self._problem(
                record.row,
                name_field,
                "unknown_organisation",
                f"平台上没有名为“{party.name}”的{who_zh}（可改用统一社会信用代码）：{_HOW_TO_ADD[0]}",
                f"no {who_en} named {party.name} on the platform (or give its credit code): "
                f"{_HOW_TO_ADD[1]}",
            )
        return found

    def _pledgee(self, record: PledgeRecord) -> KnownOrganisation | None:
        only = self.facts.only_pledgee
        if record.pledgee.given:
            found = self._organisation(record, record.pledgee, pledgor=False)
        else:
            found = self.facts.default_pledgee or only
            if found is None:
                self._problem(
                    record.row,
                    None,
                    "no_pledgee",
                    "没有质权人：请在文件中加“质权人统一社会信用代码”列，或导入时选定质权人",
                    "no pledgee: add a pledgee_uscc column, or choose the pledgee when importing",
                )
        if found is not None and only is not None and found.id != only.id:
            self._problem(
                record.row,
                Field.PLEDGEE_USCC if record.pledgee.uscc else Field.PLEDGEE_NAME,
                "not_own_pledge",
                f"银行只能导入本行作为质权人的质押（此行的质权人是 {found.name}）",
                f"a bank imports only the pledges it holds (the pledgee here is {found.name})",
            )
            return None
        return found

    def _patents(self, record: PledgeRecord) -> tuple[int, ...]:
        ids: dict[int, None] = {}
        for patent in record.patents:
            found = self.facts.patents.get(patent.number, ())
            if len(found) == 1:
                ids[found[0]] = None
            elif not found:
                self._problem(
                    record.row,
                    Field.PATENTS,
                    "patent_not_in_corpus",
                    f"{patent.written} 不在专利库中：请先导入该专利（ipops ingest）",
                    f"{patent.written} is not in the patent corpus: import it first "
                    "(`ipops ingest`)",
                )
            else:
                self._problem(
                    record.row,
                    Field.PATENTS,
                    "patent_ambiguous",
                    f"{patent.written} 对应专利库中 {len(found)} 件专利：请写出带文献种类的公告号",
                    f"{patent.written} names {len(found)} patents in the corpus: give the "
                    "publication number with its kind code",
                )
        return tuple(ids)

    def _against_register(
        self,
        record: PledgeRecord,
        registered: RegisteredPledge,
        pledgor: KnownOrganisation,
        pledgee: KnownOrganisation,
        patent_ids: tuple[int, ...],
    ) -> PledgeRecord | None:
        if not registered.visible:
            self._problem(
                record.row,
                Field.NUMBER,
                "number_taken",
                f"登记号 {record.number} 已登记为另一笔质押",
                f"registration number {record.number} is registered for another pledge",
            )
            return None
        given = {
            "pledgor": pledgor.id,
            "pledgee": pledgee.id,
            "claim_kind": record.claim_kind.value,
            "amount": record.amount,
            "debt_start": record.debt_start,
            "debt_end": record.debt_end,
            "registered_on": record.registered_on,
            "status": record.status.value,
            "changed_on": record.changed_on,
            "released_on": record.released_on,
            "guarantee_scope": record.guarantee_scope,
            "patents": frozenset(patent_ids),
        }
        held = {
            "pledgor": registered.pledgor_id,
            "pledgee": registered.pledgee_id,
            "claim_kind": registered.claim_kind,
            "amount": registered.amount,
            "debt_start": registered.debt_start,
            "debt_end": registered.debt_end,
            "registered_on": registered.registered_on,
            "status": registered.status,
            "changed_on": registered.changed_on,
            "released_on": registered.released_on,
            "guarantee_scope": registered.guarantee_scope,
            "patents": registered.patent_ids,
        }
        differing = [(zh, en) for name, zh, en in _COMPARED if given[name] != held[name]]
        if not differing:
            return record
        self._problem(
            record.row,
            Field.NUMBER,
            "differs_from_register",
            f"登记号 {record.number} 已在登记簿中，但{'、'.join(zh for zh, _ in differing)}不同",
            f"registration number {record.number} is in the register with a different "
            f"{', '.join(en for _, en in differing)}",
        )
        return None

    def _not_in_force(self, record: PledgeRecord, patent_ids: Sequence[int]) -> None:
        for pk in patent_ids:
            life = self.facts.lives.get(pk)
            if life is None:
                continue  # the corpus cannot tell: nothing to warn about
            status = status_on(life, record.registered_on)
            if status is Status.IN_FORCE:
                continue
            number = self.facts.patent_numbers.get(pk, str(pk))
            self._warning(
                record.row,
                Field.PATENTS,
                "not_in_force_when_registered",
                f"据专利库，{number} 在登记日 {record.registered_on} 不是有效专利"
                f"（{STATUS_LABELS_ZH[status]}）",
                f"the corpus shows {number} not in force on the registration date "
                f"{record.registered_on} ({status.value.replace('_', ' ')})",
            )
