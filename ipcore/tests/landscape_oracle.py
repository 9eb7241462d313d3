"""A plain-Python oracle for the landscape metrics: the same rules, counted row by row.

Each function takes the fact rows (lists of dicts with exactly the columns of
``ipcore.landscape.schema``) and the parameters, and returns what the metric should say:
``None`` where the data cannot answer it, else its rows. It shares no code with the Ibis
metrics but the reference tables that name codes (IPC titles, WIPO fields, provinces).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from fractions import Fraction
from typing import Any

from ipcore.divisions import get_division
from ipcore.landscape.metrics import MetricParams
from ipcore.legal_status import STATUS_LABELS_ZH, Status
from ipcore.reference import ipc_title
from ipcore.technology import TECHNOLOGY_FIELDS

Facts = dict[str, list[dict[str, Any]]]
Rows = tuple[tuple[Any, ...], ...]
Expected = Rows | None  # None: not applicable

FIELDS = {field.number: field for field in TECHNOLOGY_FIELDS}
STATUS_EN = {
    "pending": "Pending",
    "in_force": "In force",
    "lapsed": "Lapsed (fees unpaid)",
    "expired": "Expired",
    "withdrawn": "Withdrawn",
    "rejected": "Rejected",
    "invalidated": "Invalidated",
    "abandoned": "Abandoned",
}


# -- reading the facts ---------------------------------------------------------------------


def years(facts: Facts) -> dict[int, int]:
    """Application year by patent, for the patents that have an application date."""
    return {
        p["patent_id"]: p["application_date"].year
        for p in facts["patents"]
        if p["application_date"] is not None
    }


def owner_key(row: dict[str, Any]) -> str | None:
    if row["entity_id"] is not None:
        return f"e:{row['entity_id']}"
    return f"n:{row['name']}" if row["name"] is not None else None


def owner_label(row: dict[str, Any]) -> str:
    return row["name"] if row["name"] is not None else f"#{row['entity_id']}"


def parties(facts: Facts, table: str) -> tuple[dict[str, set[int]], dict[str, str]]:
    """Patents per party key, and each key's label (the smallest seen)."""
    patents: dict[str, set[int]] = defaultdict(set)
    labels: dict[str, str] = {}
    for row in facts[table]:
        key = owner_key(row) if table == "owners" else row["name"]
        if key is None:
            continue
        label = owner_label(row) if table == "owners" else row["name"]
        patents[key].add(row["patent_id"])
        labels[key] = min(labels.get(key, label), label)
    return patents, labels


def ranked_keys(patents: dict[str, set[int]], labels: dict[str, str]) -> list[str]:
    return sorted(patents, key=lambda key: (-len(patents[key]), labels[key], key))


def span(values: Iterable[int]) -> list[int]:
    known = sorted(set(values))
    return list(range(known[0], known[-1] + 1)) if known else []


def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def has_any(facts: Facts, column: str) -> bool:
    return any(p[column] is not None for p in facts["patents"])


def owned(facts: Facts) -> bool:
    return any(owner_key(row) for row in facts["owners"])


def invented(facts: Facts) -> bool:
    return any(row["name"] is not None for row in facts["inventors"])


# -- the metrics -----------------------------------------------------------------------------


def filing_trend(facts: Facts, params: MetricParams) -> Expected:
    series = {}
    for column in ("application_date", "publication_date", "grant_date"):
        series[column] = Counter(p[column].year for p in facts["patents"] if p[column])
    all_years = [year for counts in series.values() for year in counts]
    if not all_years:
        return None
    return tuple(
        (year, *(series[c][year] for c in ("application_date", "publication_date", "grant_date")))
        for year in span(all_years)
    )


def _party_ranking(facts: Facts, params: MetricParams, table: str) -> Expected:
    patents, labels = parties(facts, table)
    if not patents:
        return None
    year_of = years(facts)
    first, last = params.as_of.year - params.recent_years, params.as_of.year - 1
    rows = []
    for key in ranked_keys(patents, labels)[: params.top]:
        dated = [year_of[pid] for pid in patents[key] if pid in year_of]
        rows.append(
            (
                labels[key],
                len(patents[key]),
                ratio(len(patents[key]), len(facts["patents"])),
                min(dated, default=None),
                max(dated, default=None),
                sum(1 for year in dated if first <= year <= last),
            )
        )
    return tuple(rows)


def top_owners(facts: Facts, params: MetricParams) -> Expected:
    return _party_ranking(facts, params, "owners")


def top_inventors(facts: Facts, params: MetricParams) -> Expected:
    return _party_ranking(facts, params, "inventors")


def owner_trend(facts: Facts, params: MetricParams) -> Expected:
    patents, labels = parties(facts, "owners")
    year_of = years(facts)
    rows = []
    for key in ranked_keys(patents, labels)[: params.matrix_top]:
        counts = Counter(year_of[pid] for pid in patents[key] if pid in year_of)
        rows += [(labels[key], year, counts[year]) for year in sorted(counts)]
    return tuple(rows) or None


def concentration(facts: Facts, params: MetricParams) -> Expected:
    patents, _ = parties(facts, "owners")
    if not patents:
        return None
    counts = sorted((len(pids) for pids in patents.values()), reverse=True)
    total = sum(counts)
    return (
        ("owners", len(counts), "申请人数", "Owners"),
        ("cr4", sum(counts[:4]) / total, "CR4（前 4 名份额）", "CR4 (top 4 share)"),
        ("cr8", sum(counts[:8]) / total, "CR8（前 8 名份额）", "CR8 (top 8 share)"),
        ("hhi", sum((n / total) ** 2 for n in counts) * 10_000, "HHI 指数", "HHI"),
    )


def classified(facts: Facts) -> list[dict[str, Any]]:
    with_ipc = {row["patent_id"] for row in facts["classes"] if row["scheme"] == "ipc"}
    return [
        row
        for row in facts["classes"]
        if row["scheme"] == "ipc" or (row["scheme"] == "cpc" and row["patent_id"] not in with_ipc)
    ]


def _mix(level: str) -> Callable[[Facts, MetricParams], Expected]:
    def oracle(facts: Facts, params: MetricParams) -> Expected:
        patents: dict[str, set[int]] = defaultdict(set)
        for row in classified(facts):
            if row[level] is not None:
                patents[row[level]].add(row["patent_id"])
        if not patents:
            return None
        ranked = sorted(patents, key=lambda code: (-len(patents[code]), code))[: params.top]
        return tuple(
            (
                code,
                len(patents[code]),
                ratio(len(patents[code]), len(facts["patents"])),
                *_titles(code),
            )
            for code in ranked
        )

    return oracle


def _titles(code: str) -> tuple[str | None, str | None]:
    title = ipc_title(code)
    return (title.zh or None, title.en or None) if title else (None, None)


def technology_fields(facts: Facts, params: MetricParams) -> Expected:
    patents: dict[int, set[int]] = defaultdict(set)
    for row in facts["fields"]:
        patents[row["field"]].add(row["patent_id"])
    if not patents:
        return None
    ranked = sorted(patents, key=lambda number: (-len(patents[number]), number))
    return tuple(
        (
            number,
            len(patents[number]),
            ratio(len(patents[number]), len(facts["patents"])),
            FIELDS[number].name_zh,
            FIELDS[number].name_en,
            FIELDS[number].sector_zh,
            FIELDS[number].sector_en,
        )
        for number in ranked
    )


def _scheme(scheme: str) -> Callable[[Facts, MetricParams], Expected]:
    """Industries or key fields: patents per code, shares of all patents, the code's names
    (the smallest seen, as the rows should all carry the same)."""

    def oracle(facts: Facts, params: MetricParams) -> Expected:
        patents: dict[str, set[int]] = defaultdict(set)
        names: dict[str, list[tuple[str | None, str | None]]] = defaultdict(list)
        for row in facts["industries"]:
            if row["scheme"] == scheme:
                patents[row["code"]].add(row["patent_id"])
                names[row["code"]].append((row["name_zh"], row["name_en"]))
        if not patents:
            return None
        ranked = sorted(patents, key=lambda code: (-len(patents[code]), code))
        return tuple(
            (
                code,
                len(patents[code]),
                ratio(len(patents[code]), len(facts["patents"])),
                _smallest(zh for zh, _ in names[code]),
                _smallest(en for _, en in names[code]),
            )
            for code in ranked
        )

    return oracle


def _smallest(values: Iterable[str | None]) -> str | None:
    known = [value for value in values if value is not None]
    return min(known) if known else None


def _distribution(
    pairs: Iterable[tuple[int, str | None]], names: Callable[[str], tuple[Any, ...]] = lambda _: ()
) -> Expected:
    patents: dict[str, set[int]] = defaultdict(set)
    for pid, bucket in pairs:
        if bucket is not None:
            patents[bucket].add(pid)
    if not patents:
        return None
    counted = len(set().union(*patents.values()))
    ranked = sorted(patents, key=lambda bucket: (-len(patents[bucket]), bucket))
    return tuple(
        (bucket, len(patents[bucket]), len(patents[bucket]) / counted, *names(bucket))
        for bucket in ranked
    )


def geography_office(facts: Facts, params: MetricParams) -> Expected:
    return _distribution((p["patent_id"], p["office"]) for p in facts["patents"])


def geography_owner_country(facts: Facts, params: MetricParams) -> Expected:
    if not owned(facts):
        return None
    first: dict[int, int] = {}
    for row in facts["owners"]:
        if row["position"] is not None:
            first[row["patent_id"]] = min(
                first.get(row["patent_id"], row["position"]), row["position"]
            )
    return _distribution(
        (row["patent_id"], row["country"])
        for row in facts["owners"]
        if row["position"] is not None and row["position"] == first[row["patent_id"]]
    )


def geography_inventor_country(facts: Facts, params: MetricParams) -> Expected:
    if not invented(facts):
        return None
    return _distribution((row["patent_id"], row["country"]) for row in facts["inventors"])


def geography_province(facts: Facts, params: MetricParams) -> Expected:
    if not owned(facts):
        return None

    def names(code: str) -> tuple[Any, ...]:
        division = get_division(code)
        return (division.name_zh, division.name_en) if division else (None, None)

    return _distribution(((row["patent_id"], row["province"]) for row in facts["owners"]), names)


def _owner_years(facts: Facts) -> dict[str, set[int]]:
    patents, _ = parties(facts, "owners")
    year_of = years(facts)
    return {key: {year_of[pid] for pid in pids if pid in year_of} for key, pids in patents.items()}


def newcomers(facts: Facts, params: MetricParams) -> Expected:
    by_owner = {key: ys for key, ys in _owner_years(facts).items() if ys}
    if not by_owner:
        return None
    new = Counter(min(ys) for ys in by_owner.values())
    active = Counter(year for ys in by_owner.values() for year in ys)
    return tuple(
        (year, new[year], active[year], ratio(new[year], active[year])) for year in span(active)
    )


def life_cycle(facts: Facts, params: MetricParams) -> Expected:
    by_owner = _owner_years(facts)
    active = Counter(year for ys in by_owner.values() for year in ys)
    if not active:
        return None
    applications = Counter(years(facts).values())
    return tuple((year, applications[year], active[year]) for year in span(applications))


def owner_field_matrix(facts: Facts, params: MetricParams) -> Expected:
    patents, labels = parties(facts, "owners")
    in_field: dict[int, set[int]] = defaultdict(set)
    for row in facts["fields"]:
        in_field[row["field"]].add(row["patent_id"])
    top_fields = sorted(in_field, key=lambda f: (-len(in_field[f]), f))[: params.matrix_top]
    rows = []
    for key in ranked_keys(patents, labels)[: params.matrix_top]:
        for number in top_fields:
            n = len(patents[key] & in_field[number])
            if n:
                rows.append(
                    (labels[key], number, n, FIELDS[number].name_zh, FIELDS[number].name_en)
                )
    return tuple(rows) or None


def _network(facts: Facts, params: MetricParams, table: str) -> Expected:
    patents, labels = parties(facts, table)
    weights: dict[tuple[tuple[str, str], tuple[str, str]], int] = {}
    keys = sorted(patents)
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            if shared := len(patents[a] & patents[b]):
                first, second = sorted([(labels[a], a), (labels[b], b)])
                weights[(first, second)] = shared
    if not weights:
        return None
    edges = sorted(weights, key=lambda ends: (-weights[ends], ends))[: params.network_top]
    return tuple((a[0], b[0], weights[(a, b)]) for a, b in edges)


def co_ownership(facts: Facts, params: MetricParams) -> Expected:
    return _network(facts, params, "owners") if owned(facts) else None


def co_inventors(facts: Facts, params: MetricParams) -> Expected:
    return _network(facts, params, "inventors") if invented(facts) else None


def legal_status(facts: Facts, params: MetricParams) -> Expected:
    def names(code: str) -> tuple[Any, ...]:
        return (
            (STATUS_LABELS_ZH[Status(code)], STATUS_EN[code]) if code in STATUS_EN else (code, code)
        )

    return _distribution(((p["patent_id"], p["legal_status"]) for p in facts["patents"]), names)


def whole_years(start: dt.date, end: dt.date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


LIFE = (("0-2", 0, 2), ("3-5", 3, 5), ("6-10", 6, 10), ("11-15", 11, 15), ("16-20", 16, 20))


def remaining_life(facts: Facts, params: MetricParams) -> Expected:
    if not has_any(facts, "legal_status"):
        return None
    left = [
        whole_years(params.as_of, p["expiry_date"])
        for p in facts["patents"]
        if p["legal_status"] == "in_force" and p["expiry_date"] is not None
    ]
    left = [n for n in left if n >= 0]
    if not left:
        return None
    buckets = [(code, sum(1 for n in left if low <= n <= high)) for code, low, high in LIFE]
    if over := sum(1 for n in left if n > 20):
        buckets.append(("21+", over))
    return tuple((code, n, n / len(left), *_life_labels(code)) for code, n in buckets)


def _life_labels(code: str) -> tuple[str, str]:
    if code == "21+":
        return "21 年以上", "21 years or more"
    return f"{code} 年", f"{code} years"


FAMILY = (("1", 1, 1), ("2", 2, 2), ("3-5", 3, 5), ("6-10", 6, 10), ("11+", 11, 10**9))
FAMILY_LABELS = {
    "1": ("1 件", "1 member"),
    "2": ("2 件", "2 members"),
    "3-5": ("3-5 件", "3-5 members"),
    "6-10": ("6-10 件", "6-10 members"),
    "11+": ("11 件以上", "11 members or more"),
}


def families(facts: Facts) -> dict[str, tuple[int | None, int | None]]:
    """Each family's size and offices: the largest value its members give."""
    sizes: dict[str, list[int]] = defaultdict(list)
    offices: dict[str, list[int]] = defaultdict(list)
    for p in facts["patents"]:
        if p["family_id"] is None:
            continue
        sizes[p["family_id"]] += [p["family_size"]] if p["family_size"] is not None else []
        offices[p["family_id"]] += [p["family_offices"]] if p["family_offices"] is not None else []
    return {fid: (max(sizes[fid], default=None), max(offices[fid], default=None)) for fid in sizes}


def family_size(facts: Facts, params: MetricParams) -> Expected:
    sized = [size for size, _ in families(facts).values() if size is not None and size >= 1]
    if not sized:
        return None
    counts = [(code, sum(1 for s in sized if low <= s <= high)) for code, low, high in FAMILY]
    return tuple((code, n, n / len(sized), *FAMILY_LABELS[code]) for code, n in counts)


def family_extras(facts: Facts) -> dict[str, Any]:
    found = families(facts).values()
    sized = [size for size, _ in found if size is not None and size >= 1]
    known = [offices for _, offices in found if offices is not None]
    return {
        "families": len(sized),
        "mean_size": sum(sized) / len(sized),
        "max_size": max(sized),
        "multi_office_share": ratio(sum(1 for o in known if o >= 2), len(known)),
    }


def _median(values: list[int]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


CITATION_LABELS = {
    "backward_patents": ("有引用数据的专利数", "Patents with backward-citation data"),
    "backward_mean": ("平均引用数", "Mean backward citations"),
    "backward_median": ("引用数中位数", "Median backward citations"),
    "backward_max": ("最多引用数", "Most backward citations"),
    "forward_patents": ("有被引数据的专利数", "Patents with forward-citation data"),
    "forward_mean": ("平均被引次数", "Mean forward citations"),
    "forward_median": ("被引次数中位数", "Median forward citations"),
    "forward_max": ("最高被引次数", "Most forward citations"),
    "forward_cited_share": ("被引专利占比", "Share cited at least once"),
}


def citations(facts: Facts, params: MetricParams) -> Expected:
    rows: list[tuple[Any, ...]] = []
    for kind, column in (("backward", "citations"), ("forward", "cited_by")):
        values = [p[column] for p in facts["patents"] if p[column] is not None]
        if not values:
            continue
        figures: dict[str, Any] = {
            "patents": len(values),
            "mean": sum(values) / len(values),
            "median": _median(values),
            "max": max(values),
        }
        if kind == "forward":
            figures["cited_share"] = sum(1 for v in values if v > 0) / len(values)
        rows += [
            (f"{kind}_{name}", value, *CITATION_LABELS[f"{kind}_{name}"])
            for name, value in figures.items()
        ]
    return tuple(rows) or None


def most_cited(facts: Facts, params: MetricParams) -> Expected:
    cited = [p for p in facts["patents"] if p["cited_by"] is not None and p["cited_by"] > 0]
    if not cited:
        return None
    cited.sort(key=lambda p: (-p["cited_by"], p["patent_id"]))
    return tuple(
        (
            p["patent_id"],
            p["cited_by"],
            p["title"],
            p["office"],
            p["application_date"].year if p["application_date"] else None,
        )
        for p in cited[: params.top]
    )


def white_space(facts: Facts, params: MetricParams) -> Expected:
    if not owned(facts):
        return None
    patents, _ = parties(facts, "owners")
    year_of = years(facts)
    in_field: dict[int, set[int]] = defaultdict(set)
    for row in facts["fields"]:
        in_field[row["field"]].add(row["patent_id"])
    recent = (params.as_of.year - params.recent_years, params.as_of.year - 1)
    previous = (recent[0] - params.recent_years, recent[0] - 1)
    rows = []
    for number, pids in in_field.items():
        owners = sum(1 for owned_pids in patents.values() if owned_pids & pids)
        if len(pids) < params.white_space_min_patents or owners == 0:
            continue
        filed = [year_of[pid] for pid in pids if pid in year_of]
        now = sum(1 for year in filed if recent[0] <= year <= recent[1])
        before = sum(1 for year in filed if previous[0] <= year <= previous[1])
        rows.append(
            (
                Fraction(len(pids), owners),
                number,
                (
                    number,
                    len(pids) / owners,
                    len(pids),
                    owners,
                    now,
                    before,
                    now / before - 1 if before else None,
                    FIELDS[number].name_zh,
                    FIELDS[number].name_en,
                ),
            )
        )
    if not rows:
        return None
    rows.sort(key=lambda entry: (-entry[0], -entry[2][2], entry[1]))
    return tuple(entry[2] for entry in rows[: params.top])


ORACLES: dict[str, Callable[[Facts, MetricParams], Expected]] = {
    "filing_trend": filing_trend,
    "top_owners": top_owners,
    "owner_trend": owner_trend,
    "concentration": concentration,
    "classification_mix_section": _mix("section"),
    "classification_mix_class": _mix("class_code"),
    "classification_mix_subclass": _mix("subclass"),
    "classification_mix_group": _mix("main_group"),
    "technology_fields": technology_fields,
    "sei_industries": _scheme("sei_industry"),
    "sei_categories": _scheme("sei_category"),
    "key_fields": _scheme("key_field"),
    "geography_office": geography_office,
    "geography_owner_country": geography_owner_country,
    "geography_inventor_country": geography_inventor_country,
    "geography_province": geography_province,
    "newcomers": newcomers,
    "owner_field_matrix": owner_field_matrix,
    "co_ownership": co_ownership,
    "co_inventors": co_inventors,
    "top_inventors": top_inventors,
    "legal_status": legal_status,
    "remaining_life": remaining_life,
    "family_size": family_size,
    "citations": citations,
    "most_cited": most_cited,
    "life_cycle": life_cycle,
    "white_space": white_space,
}


def expected(name: str, facts: Facts, params: MetricParams) -> Expected:
    """What metric ``name`` should answer over ``facts`` (None: not applicable)."""
    if not facts["patents"]:
        return None
    return ORACLES[name](facts, params)
