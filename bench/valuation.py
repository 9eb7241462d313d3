"""Patent value benchmark (issue 6): how fast the whole corpus is scored, against a plain
per-patent Python loop over the same indicators, and whether the scores carry information.

    .venv/bin/python bench/valuation.py                               # everything
    .venv/bin/python bench/valuation.py --work /tmp/valuation-bench   # keep the database
    .venv/bin/python bench/valuation.py --no-loop-10x                 # skip the slowest case

Setup (timed, not part of the numbers): a fresh data directory with `ipops migrate` and
`ipops ingest --no-index` of the three public datasets (as bench/search.py and
bench/landscape.py), each a child process; --work DIR keeps it and reuses it while the input
files are unchanged.

Speed. In one process, on the same facts:

1. *set-based* — `ipops.valuation.facts.load_corpus` (the SQL reads, timed apart) and then
   `ipcore.valuation.columns.value_corpus` + `unknown_reasons`: numpy over the columns;
2. *per-patent loop* — the reference functions of `ipcore.valuation` called patent by patent:
   `measure_all`, `cohorts.place` per indicator (sorted cohorts, bisect), `score_patent` for
   each of the three purposes. Its input, one `PatentFacts` per patent, is built from the same
   columns outside the timing, with each patent's IPC (else CPC) subclasses read in one query;
   both results are compared (every score within 1e-6), so the two systems do the same work;
3. *rescore end to end* — `services.rescore_corpus`: read, value, write every `PatentValue`
   row in one transaction (1x only: the 10x copy is not in the database).

The 10x copy: every column 10 times, patent ids shifted by k × 10,000,000 and citation edges
by k × n, so each copy is its own corpus of citations and cohorts are 10 times larger.

Quality. (a) lens-export-drones: Spearman's rho between the technical score and Lens' "Cited
Count" (forward citations Lens counts; not imported, so not an input), overall and within
filing years; the same for each technical indicator and for the total. (b) pv-patents-us
holds no citations at all: the check cannot be made there, and the script says so. (c)
uspto-transactions-legal: the US patents named by recorded assignments (transfers, security
interests) that the corpus holds, and — where there are enough — how the total score
separates them from the rest (Mann-Whitney AUC).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gzip
import hashlib
import json
import math
import re
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from _common import load_corpus, run_ipops, setup_django, sqlite_env

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
BIN = Path(sys.executable).parent
DATASETS = (
    (DATA / "pv-patents-us" / "pv-data.parquet", "patentsview"),
    (DATA / "cn-patent-titles-ipc" / "cn_titles_ipc.csv.gz", "cn-titles"),
    (DATA / "lens-export-drones" / "drones_fulltext_families_5884_raw.csv.gz", "lens"),
)
LENS = DATASETS[2][0]
ASSIGNMENTS = DATA / "uspto-transactions-legal" / "assignment"
SETUP_VERSION = 2  # 2: Lens' stated family sizes imported
SCALE = 10
ID_SHIFT = 10_000_000
AIM_SPEEDUP = 10.0
MIN_GROUP = 10  # transacted patents needed before an AUC is reported
AS_OF = dt.date(2026, 1, 1)  # fixed, so runs on different days compare


# --- setup ----------------------------------------------------------------------------------


def fingerprint() -> str:
    digest = hashlib.sha256(f"version {SETUP_VERSION}".encode())
    for path, _format in DATASETS:
        stat = path.stat()
        digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def build_database(folder: Path) -> dict[str, Any]:
    data_dir = folder / "data"
    marker = folder / "setup.json"
    env = sqlite_env(data_dir)
    if marker.exists() and json.loads(marker.read_text()).get("fingerprint") == fingerprint():
        run_ipops(env, "migrate", "-v0")
        return dict(json.loads(marker.read_text()))
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    facts: dict[str, Any] = {"fingerprint": fingerprint()}
    load_corpus(env, DATASETS, facts, reindex=False)
    marker.write_text(json.dumps(facts, indent=2))
    return facts






# --- the per-patent input of the loop ---------------------------------------------------------


def own_subclasses(ids: np.ndarray) -> dict[int, list[str]]:
    """Each patent's distinct IPC subclasses, CPC ones where it has no IPC (one query)."""
    from ipops.corpus.models import Classification

    by_scheme: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for pk, scheme, subclass in (
        Classification.objects.values_list("patent_id", "scheme", "subclass")
        .order_by()
        .iterator(chunk_size=20_000)
    ):
        by_scheme[pk][scheme].add(subclass)
    return {
        pk: sorted(schemes.get("ipc") or schemes.get("cpc") or ())
        for pk, schemes in by_scheme.items()
    }


def reference_facts(
    columns: Any, offices: np.ndarray, kinds: np.ndarray, subclasses: dict[int, list[str]]
) -> list[Any]:
    """One PatentFacts per patent from the scoring columns (the loop's input)."""
    from ipcore.valuation.columns import STATUS_CODES
    from ipcore.valuation.facts import Citing, PatentFacts

    names = columns.subclass_names
    forward: dict[int, list[Any]] = defaultdict(list)
    for target, date, code in zip(
        columns.forward_target.tolist(),
        columns.forward_date.tolist(),
        columns.forward_subclass.tolist(),
        strict=True,
    ):
        forward[target].append(Citing(_date(date), names[code] if code >= 0 else None))
    cited: dict[int, list[str | None]] = defaultdict(list)
    for source, code in zip(
        columns.cited_source.tolist(), columns.cited_subclass.tolist(), strict=True
    ):
        cited[source].append(names[code] if code >= 0 else None)
    facts = []
    for i, pk in enumerate(columns.patent_id.tolist()):
        main = str(columns.subclass[i])
        own = [s for s in subclasses.get(pk, []) if s != main]
        chosen = ([main] if main else []) + own
        scope = columns.scope[i]
        if not math.isnan(scope):  # the loader's count decides; a main subclass from the other
            chosen = chosen[: int(scope)]  # scheme does not make one more
        status = int(columns.status[i])
        facts.append(
            PatentFacts(
                patent_id=pk,
                office=str(offices[i]),
                document_type=str(kinds[i]),
                application_date=_date(int(columns.filing[i])),
                publication_date=_date(int(columns.publication[i])),
                grant_date=_day(columns.grant_day[i]),
                claims_count=None if math.isnan(columns.claims[i]) else int(columns.claims[i]),
                subclasses=tuple(chosen) if not math.isnan(scope) else (),
                family_size=_int(columns.family_size[i]),
                family_offices=None
                if math.isnan(columns.family_offices[i])
                else tuple(f"o{k}" for k in range(int(columns.family_offices[i]))),
                backward=_int(columns.backward[i]),
                cited_subclasses=tuple(cited.get(i, ())),
                forward=tuple(forward.get(i, ())) if columns.forward_known[i] else None,
                status=STATUS_CODES[status] if status >= 0 else None,
                expiry=_day(columns.expiry_day[i]),
                transactions=_int(columns.transactions[i]),
                disputes=_int(columns.disputes[i]),
                partly_invalidated=None
                if math.isnan(columns.partly_invalidated[i])
                else bool(columns.partly_invalidated[i]),
            )
        )
    return facts


def _date(value: int) -> dt.date | None:
    return dt.date(value // 10_000, value // 100 % 100, value % 100) if value else None


def _day(value: float) -> dt.date | None:
    return None if math.isnan(value) else dt.date.fromordinal(int(value))


def _int(value: float) -> int | None:
    return None if math.isnan(value) else int(value)


def per_patent_loop(facts: list[Any], weights: Any) -> dict[str, np.ndarray]:
    """The reference path: every indicator, placement and score, one patent at a time."""
    from ipcore.valuation import cohorts
    from ipcore.valuation.indicators import INDICATORS, Params, Scale, measure_all
    from ipcore.valuation.scores import score_patent
    from ipcore.valuation.weights import Purpose

    params = Params(AS_OF, weights.forward_window_years)
    measured = {p.patent_id: measure_all(p, params) for p in facts}
    keys = {p.patent_id: cohorts.cohorts_of(p.main_subclass, p.filing_year) for p in facts}
    placed = {
        i.name: cohorts.place(
            {pk: values[i.name] for pk, values in measured.items()},
            keys,
            higher_is_better=i.higher_is_better,
            min_size=weights.min_cohort,
        )
        for i in INDICATORS
        if i.scale is Scale.COHORT
    }
    totals: dict[str, list[float]] = {purpose.value: [] for purpose in Purpose}
    for patent in facts:
        placements = {name: by_patent[patent.patent_id] for name, by_patent in placed.items()}
        for purpose in Purpose:
            score = score_patent(measured[patent.patent_id], placements, weights, purpose)
            totals[purpose.value].append(
                score.total if isinstance(score.total, float) else math.nan
            )
    return {purpose: np.array(values) for purpose, values in totals.items()}


def scaled(
    columns: Any, offices: np.ndarray, kinds: np.ndarray, scale: int
) -> tuple[Any, np.ndarray, np.ndarray]:
    """The corpus `scale` times: ids shifted by k × ID_SHIFT, edges by k × n."""
    n = columns.n
    tiled: dict[str, Any] = {}
    for name in (
        "filing", "publication", "filing_day", "grant_day", "expiry_day", "status", "subclass",
        "claims", "scope", "backward", "family_size", "family_offices", "transactions",
        "partly_invalidated", "forward_known", "forward_date", "forward_subclass",
        "cited_subclass", "own_subclass",
    ):  # fmt: skip
        tiled[name] = np.tile(getattr(columns, name), scale)
    tiled["patent_id"] = np.concatenate([columns.patent_id + k * ID_SHIFT for k in range(scale)])
    for name in ("forward_target", "cited_source", "own_source"):
        tiled[name] = np.concatenate([getattr(columns, name) + k * n for k in range(scale)])
    return (
        replace(columns, **tiled),
        np.tile(offices, scale),
        np.tile(kinds, scale),
    )


# --- speed -------------------------------------------------------------------------------------


@dataclass
class Timing:
    load_s: float = 0.0
    vector_s: float = 0.0
    loop_s: float | None = None
    rescore_s: float | None = None
    patents: int = 0
    agree: str = ""


def speed(corpus: Any, subclasses: dict[int, list[str]], scale: int, loop: bool) -> Timing:
    from ipcore.valuation.columns import unknown_reasons, value_corpus
    from ipcore.valuation.weights import current_weights

    weights = current_weights(AS_OF)
    columns, offices, kinds = corpus.columns, corpus.office, corpus.document_type
    if scale > 1:
        columns, offices, kinds = scaled(columns, offices, kinds, scale)
        subclasses = {pk + k * ID_SHIFT: s for k in range(scale) for pk, s in subclasses.items()}
    timing = Timing(patents=columns.n)
    started = time.perf_counter()
    valuation = value_corpus(columns, weights, AS_OF)
    unknown_reasons(columns, valuation.values)
    timing.vector_s = time.perf_counter() - started
    print(f"    set-based {scale}x: {timing.vector_s:.2f} s", flush=True)
    if not loop:
        return timing
    facts = reference_facts(columns, offices, kinds, subclasses)
    started = time.perf_counter()
    totals = per_patent_loop(facts, weights)
    timing.loop_s = time.perf_counter() - started
    print(f"    per-patent loop {scale}x: {timing.loop_s:.2f} s", flush=True)
    timing.agree = agreement(valuation, totals)
    return timing


def agreement(valuation: Any, totals: dict[str, np.ndarray]) -> str:
    """How many totals differ by more than 1e-6 (or in being known) between the systems."""
    differ = 0
    for purpose, loop_totals in totals.items():
        vector = next(v for p, v in valuation.scores.items() if p.value == purpose)["total"]
        both = ~np.isnan(vector) & ~np.isnan(loop_totals)
        differ += int((np.isnan(vector) != np.isnan(loop_totals)).sum())
        differ += int((np.abs(vector[both] - loop_totals[both]) > 1e-6).sum())
    return "all totals agree" if differ == 0 else f"{differ} totals differ"


# --- quality -----------------------------------------------------------------------------------


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman's rho: Pearson's r of the mid-ranks (ties share their mean rank)."""
    import pandas as pd

    rx = pd.Series(x).rank(method="average").to_numpy()
    ry = pd.Series(y).rank(method="average").to_numpy()
    if rx.std() == 0 or ry.std() == 0:
        return math.nan
    return float(np.corrcoef(rx, ry)[0, 1])


def within_years(x: np.ndarray, y: np.ndarray, years: np.ndarray) -> tuple[float, int]:
    """rho of x against y's percentile within its group — the filing year (age taken out of
    the count), or the office and year (Lens counts citations per document, and a US
    document is cited ten times as often as an Australian member of the same family)."""
    import pandas as pd

    frame = pd.DataFrame({"x": x, "y": y, "year": years})
    frame["y_pct"] = frame.groupby("year")["y"].rank(pct=True, method="average")
    counts = frame.groupby("year")["y"].transform("size")
    kept = frame[counts >= 20]
    return spearman(kept["x"].to_numpy(), kept["y_pct"].to_numpy()), len(kept)


def lens_quality() -> dict[str, Any]:
    from ipops.corpus.models import Patent
    from ipops.valuation.models import PatentValue
    from ipops.valuation.numbers import patents_numbered

    with gzip.open(LENS, "rt", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    cited = {row["Publication Number"]: int(row["Cited Count"] or 0) for row in rows}
    found = patents_numbered(list(cited))
    by_patent: dict[int, int] = {}
    for number, ids in found.items():
        if len(ids) == 1:
            by_patent[ids[0]] = cited[number]
    values = {
        v.patent_id: v
        for v in PatentValue.objects.filter(patent_id__in=list(by_patent)).iterator(chunk_size=2000)
    }
    result: dict[str, Any] = {"lens_rows": len(rows), "matched": len(values)}
    pairs: dict[str, list[tuple[float, int, int, int]]] = defaultdict(list)
    offices = dict(Patent.objects.filter(pk__in=list(values)).values_list("pk", "office"))
    office_of: dict[int, int] = {}
    for pk, value in values.items():
        year = value.filing_year or 0
        office_of[pk] = hash((offices.get(pk, ""), year))
        for name in ("management_technical", "licensing_technical", "pledge_technical",
                     "licensing_economic", "management_total"):  # fmt: skip
            score = getattr(value, name)
            if score is not None:
                pairs[name].append((score, by_patent[pk], year, office_of[pk]))
        for name in ("scope", "grant_lag", "backward_citations", "claims", "family_size"):
            placed = value.placements.get(name)
            if placed:
                pairs[name].append((placed[0], by_patent[pk], year, office_of[pk]))
    for name, rows_ in pairs.items():
        x = np.array([r[0] for r in rows_])
        y = np.array([r[1] for r in rows_])
        years = np.array([r[2] for r in rows_])
        rho_year, kept = within_years(x, y, years)
        rho_office, kept_office = within_years(x, y, np.array([r[3] for r in rows_]))
        result[name] = {
            "n": len(rows_),
            "rho": round(spearman(x, y), 3),
            "rho_within_year": round(rho_year, 3),
            "n_within_year": kept,
            "rho_within_office_year": round(rho_office, 3),
            "n_within_office_year": kept_office,
        }
    return result


def pv_quality() -> dict[str, Any]:
    from django.db.models import Count, Q

    from ipops.corpus.models import Citation, Patent, Source

    source = Source.objects.filter(format="patentsview").first()
    if source is None:
        return {"note": "pv-patents-us is not in the corpus"}
    patents = Patent.objects.filter(source=source)
    with_citations = Citation.objects.filter(patent__source=source).count()
    counts = patents.aggregate(
        n=Count("id"),
        technical=Count("value", filter=Q(value__management_technical__isnull=False)),
        total=Count("value", filter=Q(value__management_total__isnull=False)),
    )
    return {
        "patents": counts["n"],
        "citations_in_source": with_citations,
        "technical_known": counts["technical"],
        "total_known": counts["total"],
        "note": "PatentsView's file carries no citations (PROVENANCE: 'Not present: citations, "
        "families, priority claims, legal status, IPC'): no forward-citation check is possible",
    }


def transacted_numbers() -> dict[str, set[str]]:
    """US patent numbers named by the recorded assignments, with their conveyance texts."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(ASSIGNMENTS.glob("*.xml"))]
    for path in sorted((ASSIGNMENTS / "cassettes").glob("*.yaml.gz")):
        # VCR cassettes: the XML is a YAML string with escaped quotes and folded lines
        with gzip.open(path) as handle:
            raw = handle.read().decode("utf-8")
        texts.append(re.sub(r"\\\n\s*\\?\s?", "", raw).replace('\\"', '"').replace("\\n", "\n"))
    numbers: dict[str, set[str]] = defaultdict(set)
    for text in texts:
        for doc in re.findall(r"<doc>(.*?)</doc>", text, re.S):
            conveyance = re.search(r'name="conveyanceText">([^<]*)<', doc)
            kind = " ".join((conveyance.group(1) if conveyance else "").split())
            listed = re.search(r'<arr name="patNum">(.*?)</arr>', doc, re.S)
            for number in re.findall(
                r"<str>\s*(\d{6,8})\s*</str>", listed.group(1) if listed else ""
            ):
                numbers[number].add(kind)
    return numbers


def transaction_quality() -> dict[str, Any]:
    from ipops.corpus.models import Publication
    from ipops.valuation.models import PatentValue

    numbers = transacted_numbers()
    held = dict(
        Publication.objects.filter(number__in=[f"US{n}" for n in numbers]).values_list(
            "number", "patent_id"
        )
    )
    security = sum(
        1
        for n, kinds in numbers.items()
        if f"US{n}" in held and any("SECURITY" in k for k in kinds)
    )
    result: dict[str, Any] = {
        "numbers_in_records": len(numbers),
        "held_by_corpus": len(held),
        "held_with_security_interest": security,
    }
    scores = dict(
        PatentValue.objects.filter(patent__office="US", management_total__isnull=False).values_list(
            "patent_id", "management_total"
        )
    )
    inside = [scores[pk] for pk in held.values() if pk in scores]
    outside = [score for pk, score in scores.items() if pk not in set(held.values())]
    result["transacted_scored"] = len(inside)
    if len(inside) >= MIN_GROUP:
        result["auc_total"] = round(auc(np.array(inside), np.array(outside)), 3)
    else:
        result["auc_total"] = None
        result["note"] = (
            f"only {len(inside)} transacted patents are in the corpus and scored: "
            f"fewer than {MIN_GROUP}, no separation is reported"
        )
    return result


def auc(positive: np.ndarray, negative: np.ndarray) -> float:
    """P(a transacted patent scores above one that was not), ties half (Mann-Whitney)."""
    import pandas as pd

    ranks = pd.Series(np.concatenate([positive, negative])).rank(method="average").to_numpy()
    rank_sum = ranks[: positive.size].sum()
    return float(
        (rank_sum - positive.size * (positive.size + 1) / 2) / (positive.size * negative.size)
    )


# --- main --------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, help="keep the data directory here and reuse it")
    parser.add_argument("--no-loop-10x", action="store_true", help="skip the 10x per-patent loop")
    options = parser.parse_args()
    missing = [str(path) for path, _f in DATASETS if not path.exists()]
    if missing:
        print(f"skipped: needs {', '.join(missing)} (../shared/data)")
        return
    folder = options.work or Path(tempfile.mkdtemp(prefix="valuation-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    print("setup", flush=True)
    setup = build_database(folder)
    setup_django(folder / "data")
    from ipops.valuation import services
    from ipops.valuation.facts import load_corpus

    print("rescore end to end (1x)", flush=True)
    started = time.perf_counter()
    run = services.rescore_corpus(actor=None, as_of=AS_OF)
    rescore_s = time.perf_counter() - started
    started = time.perf_counter()
    corpus = load_corpus(AS_OF)
    load_s = time.perf_counter() - started
    subclasses = own_subclasses(corpus.columns.patent_id)
    print(f"  {corpus.columns.n:,} patents; read {load_s:.2f} s; end to end {rescore_s:.2f} s")
    print("speed", flush=True)
    one = speed(corpus, subclasses, 1, loop=True)
    one.load_s, one.rescore_s = load_s, rescore_s
    ten = speed(corpus, subclasses, SCALE, loop=not options.no_loop_10x)
    print("quality", flush=True)
    report = {
        "setup": setup,
        "run": {
            "patents": run.patents,
            "high_value": run.high_value,
            "weights": run.weights_version,
        },
        "speed": {"1x": one.__dict__, f"{SCALE}x": ten.__dict__},
        "lens": lens_quality(),
        "pv": pv_quality(),
        "transactions": transaction_quality(),
    }
    for label, timing in (("1x", one), (f"{SCALE}x", ten)):
        if timing.loop_s:
            ratio = timing.loop_s / timing.vector_s
            verdict = "meets" if ratio >= AIM_SPEEDUP else "misses"
            print(
                f"  {label}: loop / set-based = {ratio:.1f}x ({verdict} the {AIM_SPEEDUP:.0f}x aim)"
            )
    print(json.dumps(report, indent=2, default=str))
    (folder / "results.json").write_text(json.dumps(report, indent=2, default=str))


if __name__ == "__main__":
    main()
