"""Every write of the valuation app: scoring the corpus, award lists, populations, portfolios
and the cultivation programme. Each is one transaction with its audit entry.

Scoring is set-based: the corpus is read as columns (``facts.load_corpus``), valued with numpy
(``ipcore.valuation.columns``) and written back as one ``PatentValue`` row per patent in a
single transaction, so a reader sees the previous run's values until the new ones commit.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ipcore.access import Capability
from ipcore.divisions import division_label
from ipcore.formats._table_files import open_table
from ipcore.formats.base import FileFormatError
from ipcore.industries.key_fields import shipped_key_fields
from ipcore.valuation.awards import AwardListError, read_award_rows
from ipcore.valuation.columns import (
    COHORT_INDICATORS,
    REASON_KEYS,
    STATUS_CODES,
    Valuation,
    unknown_reasons,
    value_corpus,
)
from ipcore.valuation.high_value import assess
from ipcore.valuation.weights import Dimension, Purpose, WeightSet, current_weights
from ipops.accounts.models import Organization
from ipops.accounts.queries import organizations_for, require_capability, viewer_of
from ipops.audit.actions import Action
from ipops.audit.services import record_write
from ipops.errors import Conflict, InvalidInput, NotPermitted
from ipops.valuation.facts import CorpusFacts, high_value_facts, load_corpus, pledge_threshold
from ipops.valuation.models import (
    AwardEntry,
    AwardList,
    PatentValue,
    Portfolio,
    PortfolioPatent,
    ProgrammeEntry,
    RegionPopulation,
    ScoringRun,
)
from ipops.valuation.numbers import patents_numbered

WRITE_BATCH: Final = 2000
MAX_UPLOAD_BYTES: Final = 5 * 1024 * 1024
MAX_PORTFOLIO: Final = 200_000


# --- scoring -------------------------------------------------------------------------------


def request_rescoring(*, actor: Any, trigger: str = ScoringRun.Trigger.MANUAL) -> ScoringRun:
    """Queue a scoring of the whole corpus for the background worker; the run already
    waiting when there is one (it will see every change made before it starts)."""
    if actor is not None:
        require_capability(actor, Capability.MANAGE_VALUATION_DATA)
    from ipops.valuation.tasks import score_corpus

    with transaction.atomic():
        waiting = ScoringRun.objects.filter(status=ScoringRun.Status.QUEUED).first()
        if waiting is not None:
            return waiting
        run = ScoringRun.objects.create(
            status=ScoringRun.Status.QUEUED,
            trigger=trigger,
            requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        if actor is not None:  # the automatic queueing after an import is not a person's act
            record_write(
                actor=actor, action=Action.RESCORING_REQUESTED, target=run, new={"run": run.pk}
            )
        transaction.on_commit(lambda: score_corpus.enqueue(run.pk))
    return run


def claim_run(run_id: int) -> bool:
    """Take a queued run for this worker (a conditional UPDATE: one claimant wins)."""
    claimed = ScoringRun.objects.filter(pk=run_id, status=ScoringRun.Status.QUEUED).update(
        status=ScoringRun.Status.RUNNING, started_at=timezone.now()
    )
    return claimed == 1


def rescore_corpus(
    *,
    actor: Any,
    trigger: str = ScoringRun.Trigger.COMMAND,
    run: ScoringRun | None = None,
    as_of: dt.date | None = None,
) -> ScoringRun:
    """Score every patent of the corpus with the weights in force and replace the stored
    values; a failure leaves the previous values and marks the run failed, saying why."""
    if actor is not None:
        require_capability(actor, Capability.MANAGE_VALUATION_DATA)
    as_of = as_of or timezone.localdate()
    weights = current_weights(as_of)
    if run is None:
        run = ScoringRun.objects.create(
            status=ScoringRun.Status.RUNNING, trigger=trigger, started_at=timezone.now()
        )
    started = time.monotonic()
    try:
        corpus = load_corpus(as_of)
        valuation = value_corpus(corpus.columns, weights, as_of)
        rows, high_value = _value_rows(corpus, valuation, weights, as_of, run)
        with transaction.atomic():
            _lock_values()
            PatentValue.objects.all().delete()
            _insert(rows)
            ScoringRun.objects.filter(pk=run.pk).update(
                status=ScoringRun.Status.FINISHED,
                weights_version=weights.version,
                as_of=as_of,
                patents=len(rows),
                high_value=high_value,
                seconds=time.monotonic() - started,
                finished_at=timezone.now(),
                message="",
            )
            run.refresh_from_db()
            record_write(
                actor=actor,
                action=Action.VALUES_SCORED,
                target=run,
                new={
                    "patents": run.patents,
                    "weights": weights.version,
                    "as_of": as_of,
                    "high_value": high_value,
                    "seconds": round(run.seconds or 0.0, 2),
                },
            )
    except Exception as error:
        _fail(run, actor, error)
        raise
    return run


def _lock_values() -> None:
    """Two runs must not interleave their delete-and-insert. SQLite already serialises
    writing transactions (IMMEDIATE); PostgreSQL gets an explicit table lock, so a second run
    waits for the first to commit and then replaces its rows."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {PatentValue._meta.db_table} IN EXCLUSIVE MODE")


def _fail(run: ScoringRun, actor: Any, error: Exception) -> None:
    with transaction.atomic():
        ScoringRun.objects.filter(pk=run.pk).update(
            status=ScoringRun.Status.FAILED, finished_at=timezone.now(), message=str(error)[:2000]
        )
        run.refresh_from_db()
        record_write(
            actor=actor, action=Action.SCORING_FAILED, target=run, new={"error": str(error)[:500]}
        )


_SCORE_COLUMNS: Final = tuple(
    (purpose, part) for purpose in Purpose for part in (*(d.value for d in Dimension), "total")
)
_COLUMNS: Final = (
    "patent_id",
    "run_id",
    "weights_version",
    "as_of",
    "status",
    "expiry",
    "cohort_subclass",
    "filing_year",
    "indicators",
    "unknown",
    "placements",
    *(f"{purpose.value}_{part}" for purpose, part in _SCORE_COLUMNS),
    "high_value",
    "criteria_met",
    "criteria_unknown",
    "status_from_dates",
    "region_code",
)
_JSON_COLUMNS: Final = frozenset(
    {"indicators", "unknown", "placements", "criteria_met", "criteria_unknown"}
)


def _value_rows(
    corpus: CorpusFacts, valuation: Valuation, weights: WeightSet, as_of: dt.date, run: ScoringRun
) -> tuple[list[tuple[Any, ...]], int]:
    """The row of each patent, and how many are high-value. Columns become Python lists once
    (``tolist``), so the per-row work is only assembling the three JSON objects."""
    columns = corpus.columns
    reasons = {
        name: codes.tolist() for name, codes in unknown_reasons(columns, valuation.values).items()
    }
    verdicts = _high_value(corpus, as_of)
    names = list(valuation.values)
    values = {name: np.round(valuation.values[name], 6).tolist() for name in names}
    placed = [
        (
            name,
            np.round(valuation.percentiles[name], 4).tolist(),
            valuation.levels[name].tolist(),
            valuation.sizes[name].tolist(),
        )
        for name in COHORT_INDICATORS
    ]
    scores = (
        list(
            zip(*(_nullables(valuation.scores[p][part]) for p, part in _SCORE_COLUMNS), strict=True)
        )
        if columns.n
        else []
    )
    status = [STATUS_CODES[code] if code >= 0 else "" for code in columns.status.tolist()]
    expiry = [_iso_day(day) for day in columns.expiry_day.tolist()]
    from_dates = ((~corpus.events_known) & (columns.status >= 0)).tolist()
    ids, subclass, region = (
        columns.patent_id.tolist(),
        columns.subclass.tolist(),
        corpus.region.tolist(),
    )
    year = columns.year.tolist()
    as_of_text = as_of.isoformat()
    rows = []
    high_value = 0
    for i in range(columns.n):
        indicators = {}
        unknown = {}
        for name in names:
            value = values[name][i]
            if value == value:  # not NaN
                indicators[name] = value
            else:
                unknown[name] = REASON_KEYS[reasons[name][i]]
        placements = {
            name: [pct[i], level[i], size[i]] for name, pct, level, size in placed if level[i] >= 0
        }
        verdict = verdicts.get(i)
        met, unsure = (verdict.met, verdict.unknown) if verdict else (frozenset(), frozenset())
        flag = verdict.high_value if verdict else False
        high_value += flag is True
        rows.append(
            (
                ids[i],
                run.pk,
                weights.version,
                as_of_text,
                status[i],
                expiry[i],
                subclass[i],
                year[i] or None,
                json.dumps(indicators),
                json.dumps(unknown),
                json.dumps(placements),
                *scores[i],
                flag,
                json.dumps(sorted(met)) if met else "[]",
                json.dumps(sorted(unsure)) if unsure else "[]",
                from_dates[i],
                region[i],
            )
        )
    return rows, high_value


def _iso_day(day: float) -> str | None:
    return None if math.isnan(day) else dt.date.fromordinal(int(day)).isoformat()


def _nullables(column: np.ndarray) -> list[float | None]:
    """A score column as Python values: rounded, None where unknown (NaN)."""
    rounded = np.round(column, 4).astype(object)
    rounded[np.isnan(column)] = None
    return list(rounded.tolist())


def _high_value(corpus: CorpusFacts, as_of: dt.date) -> dict[int, Any]:
    """CNIPA's verdict for each CN invention patent (by index); the others are not eligible."""
    eligible = np.flatnonzero(
        (corpus.office == "CN") & (corpus.document_type == "invention")
    ).astype(np.int64)
    threshold = pledge_threshold()
    facts = high_value_facts(corpus, eligible)
    return {
        int(i): assess(f, as_of=as_of, pledge_threshold=threshold)
        for i, f in zip(eligible.tolist(), facts, strict=True)
    }


def _insert(rows: list[tuple[Any, ...]]) -> None:
    table = PatentValue._meta.db_table
    json_cast = "::jsonb" if connection.vendor == "postgresql" else ""
    placeholders = ", ".join(
        f"%s{json_cast}" if column in _JSON_COLUMNS else "%s" for column in _COLUMNS
    )
    sql = f"INSERT INTO {table} ({', '.join(_COLUMNS)}) VALUES ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), WRITE_BATCH):
            cursor.executemany(sql, rows[start : start + WRITE_BATCH])


# --- award lists ---------------------------------------------------------------------------


def upload_award_list(
    *, actor: Any, name: str, kind: str, year: int, file_name: str, content: bytes
) -> AwardList:
    """Read an award list (CSV or XLSX), keep every row with the patent it names, and queue
    a rescoring so the award criterion counts. Refused whole when a row does not read."""
    if actor is not None:
        require_capability(actor, Capability.MANAGE_VALUATION_DATA)
    if kind not in AwardList.Kind.values:
        raise InvalidInput(details={"kind": [_("Choose the award.")]})
    if len(content) > MAX_UPLOAD_BYTES:
        raise InvalidInput(
            details={"file": [_("The file is over 5 MB; an award list is far smaller.")]}
        )
    rows = _award_rows(file_name, content)
    found = patents_numbered([row.written for row in rows])
    with transaction.atomic():
        award_list = AwardList.objects.create(
            name=name.strip() or f"{AwardList.Kind(kind).label} {year}",
            kind=kind,
            year=year,
            file_name=file_name[:255],
            rows=len(rows),
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        entries = [
            AwardEntry(
                award_list=award_list,
                row=row.row,
                number=row.written[:64],
                award=row.award[:100],
                patent_id=_first(found.get(row.written)),
            )
            for row in rows
        ]
        AwardEntry.objects.bulk_create(entries, batch_size=WRITE_BATCH)
        award_list.matched = sum(1 for entry in entries if entry.patent_id)
        award_list.save(update_fields=["matched"])
        record_write(
            actor=actor,
            action=Action.AWARD_LIST_UPLOADED,
            target=award_list,
            new={
                "name": award_list.name,
                "kind": kind,
                "year": year,
                "rows": award_list.rows,
                "matched": award_list.matched,
            },
        )
    request_rescoring(actor=None, trigger=ScoringRun.Trigger.AWARDS)
    return award_list


def _first(ids: list[int] | None) -> int | None:
    return ids[0] if ids else None


def _award_rows(file_name: str, content: bytes) -> list[Any]:
    suffix = Path(file_name).suffix.lower() if Path(file_name).suffix else ".csv"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(content)
        try:
            with open_table(path) as table:
                return read_award_rows((row.number, row.cells) for row in table.rows)
        except FileFormatError as error:
            raise InvalidInput(details={"file": [str(error.reason)]}) from None
        except AwardListError as error:
            language = get_language() or "zh-hans"
            raise InvalidInput(details={"file": list(error.messages(language))}) from None


def delete_award_list(*, actor: Any, award_list: AwardList) -> None:
    if actor is not None:
        require_capability(actor, Capability.MANAGE_VALUATION_DATA)
    with transaction.atomic():
        record_write(
            actor=actor,
            action=Action.AWARD_LIST_DELETED,
            target=award_list,
            old={"name": award_list.name, "rows": award_list.rows},
        )
        award_list.delete()
    request_rescoring(actor=None, trigger=ScoringRun.Trigger.AWARDS)


# --- populations ---------------------------------------------------------------------------


def record_population(
    *, actor: Any, division_code: str, year: int, population: int, source: str = ""
) -> RegionPopulation:
    """A region's resident population at a year's end (replaces that year's figure)."""
    if actor is not None:
        require_capability(actor, Capability.MANAGE_VALUATION_DATA)
    code = division_code.strip()
    if not (len(code) == 6 and code.isdigit()) or division_label(code) == code:
        raise InvalidInput(
            details={
                "division_code": [_("Give a six-digit division code (GB/T 2260), e.g. 310115.")]
            }
        )
    if population <= 0:
        raise InvalidInput(details={"population": [_("A population must be above zero.")]})
    if not 1949 <= year <= timezone.localdate().year:
        raise InvalidInput(details={"year": [_("Give a year from 1949 to this year.")]})
    with transaction.atomic():
        existing = RegionPopulation.objects.filter(division_code=code, year=year).first()
        old = {"population": existing.population} if existing else {}
        row, _created = RegionPopulation.objects.update_or_create(
            division_code=code,
            year=year,
            defaults={
                "population": population,
                "source": source.strip()[:300],
                "recorded_by": actor if getattr(actor, "is_authenticated", False) else None,
            },
        )
        record_write(
            actor=actor,
            action=Action.POPULATION_RECORDED,
            target=row,
            old=old,
            new={"division": code, "year": year, "population": population, "source": source},
        )
    return row


# --- portfolios ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PortfolioSource:
    """What a portfolio is built from: one of an owner entity, a dataset, or numbers."""

    basis: str
    owner: str = ""  # an applicant name in any spelling, or an applicant entity's id
    dataset: Any = None
    numbers: Sequence[str] = ()


def create_portfolio(
    *,
    actor: Any,
    name: str,
    source: PortfolioSource,
    organization: Organization | None = None,
    key_field: str = "",
    description: str = "",
) -> Portfolio:
    """A portfolio of the actor's organisation (or, for a provider or the bureau, of an
    organisation they may see), with its patents taken from the source now."""
    owner = _portfolio_owner(actor, organization)
    name = name.strip()
    if not name:
        raise InvalidInput(details={"name": [_("Give the portfolio a name.")]})
    _check_key_field(key_field)
    entity_id = _owner_entity(source.owner) if source.basis == Portfolio.Basis.OWNER else None
    ids = _source_patents(actor, source, entity_id)
    with transaction.atomic():
        portfolio = Portfolio.objects.create(
            name=name[:200],
            basis=source.basis,
            description=description,
            organization=owner,
            entity_id=entity_id,
            dataset=source.dataset,
            key_field=key_field,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            refreshed_at=timezone.now(),
        )
        PortfolioPatent.objects.bulk_create(
            [
                PortfolioPatent(
                    portfolio=portfolio, patent_id=pk, by_hand=source.basis == Portfolio.Basis.HAND
                )
                for pk in ids
            ],
            batch_size=WRITE_BATCH,
        )
        record_write(
            actor=actor,
            action=Action.PORTFOLIO_CREATED,
            target=portfolio,
            new={
                "name": portfolio.name,
                "basis": source.basis,
                "organization": owner.pk,
                "patents": len(ids),
                "entity": entity_id,
                "dataset": getattr(source.dataset, "pk", None),
                "key_field": key_field,
            },
        )
    return portfolio


def _portfolio_owner(actor: Any, organization: Organization | None) -> Organization:
    if actor is None:
        if organization is None:
            raise InvalidInput(details={"organization": [_("Name the owning organisation.")]})
        return organization
    require_capability(actor, Capability.MANAGE_PORTFOLIOS)
    if organization is None:
        if actor.organization_id is None:
            raise InvalidInput(details={"organization": [_("Name the owning organisation.")]})
        return actor.organization  # type: ignore[no-any-return]
    if not organizations_for(actor).filter(pk=organization.pk).exists():
        raise NotPermitted
    return organization


def _check_key_field(key_field: str) -> None:
    if key_field and key_field not in {field.code for field in shipped_key_fields()}:
        raise InvalidInput(details={"key_field": [_("Choose one of the plan's key fields.")]})


def _owner_entity(owner: str) -> int:
    """The applicant entity a person means: its id, or a name that resolves to one entity."""
    from ipops.corpus.models import Entity
    from ipops.corpus.queries import entity_ids_named

    text = owner.strip()
    if not text:
        raise InvalidInput(details={"owner": [_("Name the owner.")]})
    if text.isdigit() and Entity.objects.filter(pk=int(text)).exists():
        return int(text)
    ids = entity_ids_named(text)
    if not ids:
        raise InvalidInput(details={"owner": [_("No applicant of that name in the patent data.")]})
    if len(ids) > 1:
        raise InvalidInput(
            details={
                "owner": [
                    _("%(count)s applicants go by that name: give the organisation's id.")
                    % {"count": len(ids)}
                ]
            }
        )
    return ids[0]


def _source_patents(actor: Any, source: PortfolioSource, entity_id: int | None) -> list[int]:
    from ipops.corpus.models import Party
    from ipops.landscape import queries as landscape

    if source.basis == Portfolio.Basis.OWNER:
        if entity_id is None:
            raise InvalidInput(details={"owner": [_("Name the owner.")]})
        ids = list(
            Party.objects.filter(entity_id=entity_id, role__in=("applicant", "owner"))
            .values_list("patent_id", flat=True)
            .distinct()
            .order_by("patent_id")
        )
    elif source.basis == Portfolio.Basis.DATASET:
        if source.dataset is None:
            raise InvalidInput(details={"dataset": [_("Choose a dataset.")]})
        if actor is not None:
            landscape.dataset_for(actor, source.dataset.pk)  # 404 unless the actor sees it
        ids = list(
            landscape.members_of(source.dataset, excluded=False).values_list("patent_id", flat=True)
        )
    elif source.basis == Portfolio.Basis.HAND:
        ids = _numbered(source.numbers)
    else:
        raise InvalidInput(details={"basis": [_("Choose how to build the portfolio.")]})
    if not ids:
        raise InvalidInput(
            _("No patents found: a portfolio needs at least one."), code="empty_portfolio"
        )
    if len(ids) > MAX_PORTFOLIO:
        raise InvalidInput(_("Over 200,000 patents: too many for one portfolio."))
    return sorted(set(ids))


def _numbered(numbers: Sequence[str]) -> list[int]:
    cleaned = [number.strip() for number in numbers if number.strip()]
    if not cleaned:
        raise InvalidInput(details={"numbers": [_("List at least one patent number.")]})
    found = patents_numbered(cleaned)
    missing = [number for number, ids in found.items() if not ids]
    if missing:
        raise InvalidInput(
            details={
                "numbers": [
                    _("Not in the corpus or not a patent number: %(numbers)s")
                    % {"numbers": ", ".join(missing[:20])}
                ]
            },
            code="unknown_patents",
        )
    return [pk for ids in found.values() for pk in ids]


def change_portfolio(
    *, actor: Any, portfolio: Portfolio, add: Sequence[str] = (), remove: Sequence[int] = ()
) -> int:
    """Add patents by number and take patents out by id; returns how many changed."""
    _require_portfolio_manager(actor, portfolio)
    added = _numbered(add) if add else []
    with transaction.atomic():
        existing = set(
            PortfolioPatent.objects.filter(portfolio=portfolio).values_list("patent_id", flat=True)
        )
        fresh = [pk for pk in dict.fromkeys(added) if pk not in existing]
        PortfolioPatent.objects.bulk_create(
            [PortfolioPatent(portfolio=portfolio, patent_id=pk, by_hand=True) for pk in fresh]
        )
        removed = PortfolioPatent.objects.filter(
            portfolio=portfolio, patent_id__in=list(remove)
        ).delete()[0]
        record_write(
            actor=actor,
            action=Action.PORTFOLIO_CHANGED,
            target=portfolio,
            new={"added": fresh, "removed": sorted(set(remove) & existing)},
        )
    return len(fresh) + removed


def refresh_portfolio(*, actor: Any, portfolio: Portfolio) -> int:
    """Take the patents of the owner or dataset again (those added by hand stay); returns
    the portfolio's size."""
    _require_portfolio_manager(actor, portfolio)
    if portfolio.basis == Portfolio.Basis.HAND:
        raise Conflict(_("A portfolio built by hand has no source to refresh from."))
    source = PortfolioSource(basis=portfolio.basis, dataset=portfolio.dataset)
    if portfolio.basis == Portfolio.Basis.DATASET and portfolio.dataset is None:
        raise Conflict(_("The dataset this portfolio was built from has been deleted."))
    ids = set(_source_patents(actor, source, portfolio.entity_id))
    with transaction.atomic():
        members = PortfolioPatent.objects.filter(portfolio=portfolio)
        before = set(members.values_list("patent_id", flat=True))
        kept = set(members.filter(by_hand=True).values_list("patent_id", flat=True))
        members.filter(by_hand=False).exclude(patent_id__in=list(ids)).delete()
        PortfolioPatent.objects.bulk_create(
            [PortfolioPatent(portfolio=portfolio, patent_id=pk) for pk in sorted(ids - before)],
            batch_size=WRITE_BATCH,
        )
        portfolio.refreshed_at = timezone.now()
        portfolio.save(update_fields=["refreshed_at"])
        after = ids | kept
        record_write(
            actor=actor,
            action=Action.PORTFOLIO_CHANGED,
            target=portfolio,
            new={
                "refreshed": True,
                "added": len(after - before),
                "removed": len(before - after),
            },
        )
    return len(after)


def delete_portfolio(*, actor: Any, portfolio: Portfolio) -> None:
    _require_portfolio_manager(actor, portfolio)
    with transaction.atomic():
        record_write(
            actor=actor,
            action=Action.PORTFOLIO_DELETED,
            target=portfolio,
            old={"name": portfolio.name, "organization": portfolio.organization_id},
        )
        portfolio.delete()


def _require_portfolio_manager(actor: Any, portfolio: Portfolio) -> None:
    """People who may change a portfolio: managers who see its organisation's records."""
    if actor is None:
        return
    require_capability(actor, Capability.MANAGE_PORTFOLIOS)
    if not viewer_of(actor).may_see_private_of(portfolio.organization_id):
        raise NotPermitted


# --- the cultivation programme -------------------------------------------------------------


def enrol_in_programme(
    *, actor: Any, portfolio: Portfolio, key_field: str, start_year: int, note: str = ""
) -> ProgrammeEntry:
    """The bureau takes a portfolio into the district's cultivation programme (PLAN.md C2)."""
    if actor is not None:
        require_capability(actor, Capability.MANAGE_VALUATION_DATA)
    if not key_field:
        raise InvalidInput(details={"key_field": [_("Choose one of the plan's key fields.")]})
    _check_key_field(key_field)
    if ProgrammeEntry.objects.filter(portfolio=portfolio).exists():
        raise Conflict(_("This portfolio is already in the programme."))
    with transaction.atomic():
        entry = ProgrammeEntry.objects.create(
            portfolio=portfolio,
            key_field=key_field,
            start_year=start_year,
            note=note.strip()[:300],
            enrolled_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        record_write(
            actor=actor,
            action=Action.PROGRAMME_ENROLLED,
            target=entry,
            new={"portfolio": portfolio.pk, "key_field": key_field, "since": start_year},
        )
    return entry


def withdraw_from_programme(*, actor: Any, entry: ProgrammeEntry) -> None:
    if actor is not None:
        require_capability(actor, Capability.MANAGE_VALUATION_DATA)
    with transaction.atomic():
        record_write(
            actor=actor,
            action=Action.PROGRAMME_WITHDRAWN,
            target=entry,
            old={"portfolio": entry.portfolio_id, "key_field": entry.key_field},
        )
        entry.delete()
