"""What every sentence generator shares: the finding type, the report context, reading
result columns by name, labels of known codes, and numbers and lists in words."""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from ipcore.landscape.results import ColumnKind, MetricResult, Report, Value
from ipcore.legal_status import STATUS_LABELS_ZH, Status

Record = dict[str, Value]

EN_DASH: Final = "\u2013"
# How many names follow the leader in a ranking sentence.
FOLLOWERS: Final = 3


class Kind(enum.StrEnum):
    """What a sentence is: a finding, a limit on reading the data, or a metric not answered."""

    FINDING = "finding"
    CAVEAT = "caveat"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class Finding:
    """One generated sentence; ``metric`` names the result it comes from ("" for the dataset)."""

    metric: str
    text: str
    kind: Kind = Kind.FINDING


@dataclass(frozen=True)
class Context:
    """The report a sentence is about, and the language it is said in."""

    report: Report
    language: str

    def say(self, *, zh: str, en: str) -> str:
        return pick(self.language, zh=zh, en=en)

    @property
    def incomplete_from(self) -> int:
        """The first filing year whose applications are probably not all published yet.

        Invention applications are published about 18 months after filing, so filings of
        the year before ``as_of`` and of its own year are incomplete. A metric may say
        otherwise in ``extras["incomplete_from"]``.
        """
        for result in self.report.results:
            value = result.extras.get("incomplete_from")
            if isinstance(value, int) and not isinstance(value, bool):
                return value
        return self.report.as_of.year - 1


def row_label(result: MetricResult, record: Record, language: str) -> str:
    """The words for one row of a result: its name in the language where the result has one
    (``name_zh``, ``title_en`` …), after its ``code`` where it has one; else a known code's
    label (legal status, office); else, for a row keyed by a number, its ``title`` or
    ``name``; else its first column."""
    if not result.columns:
        return ""
    first = result.columns[0]
    code = record.get(first.name)
    text = text_in_language(record, language)
    known = KNOWN_CODES.get(result.name, {})
    if text is None and isinstance(code, str) and code in known:
        return pick(language, zh=known[code][0], en=known[code][1])
    if text is None and first.kind is not ColumnKind.TEXT:
        # A row keyed by a number (a patent id) is better named by its title.
        text = next((str(record[n]) for n in ("title", "name") if has_value(record, n)), None)
    if text is None:
        return plain(code) or pick(language, zh="未知", en="unknown")
    if first.name == "code" and isinstance(code, str) and code and code != text:
        return f"{code} {text}"  # a classification code means something to a reader
    return text


def is_share_name(name: str) -> bool:
    """Whether a scalar of this name is a fraction shown as a percentage (cr4, *_share)."""
    return bool(re.fullmatch(r"cr\d+", name)) or "share" in name


# --- labels of codes a result may carry without words of its own ---------------------------

_STATUS_LABELS_EN: Final = {
    Status.PENDING: "pending",
    Status.IN_FORCE: "in force",
    Status.LAPSED: "lapsed (fees unpaid)",
    Status.EXPIRED: "expired",
    Status.WITHDRAWN: "withdrawn",
    Status.REJECTED: "rejected",
    Status.INVALIDATED: "invalidated",
    Status.ABANDONED: "abandoned",
}

_OFFICES: Final = {
    "CN": ("中国", "China"),
    "US": ("美国", "United States"),
    "EP": ("欧洲专利局", "European Patent Office"),
    "WO": ("世界知识产权组织", "WIPO"),
    "JP": ("日本", "Japan"),
    "KR": ("韩国", "Korea"),
    "DE": ("德国", "Germany"),
    "GB": ("英国", "United Kingdom"),
    "FR": ("法国", "France"),
    "TW": ("中国台湾", "Taiwan, China"),
    "HK": ("中国香港", "Hong Kong, China"),
}

KNOWN_CODES: Final[Mapping[str, Mapping[str, tuple[str, str]]]] = MappingProxyType(
    {
        "legal_status": {
            **{
                status.value: (STATUS_LABELS_ZH[status], en)
                for status, en in _STATUS_LABELS_EN.items()
            },
            "unknown": ("未知", "unknown"),
        },
        "geography_office": {
            code: (f"{zh}（{code}）", f"{en} ({code})") for code, (zh, en) in _OFFICES.items()
        },
        "concentration": {
            "owners": ("申请人数量", "Applicants"),
            "cr4": ("CR4（前4位申请人占比）", "CR4 (top-4 share)"),
            "cr8": ("CR8（前8位申请人占比）", "CR8 (top-8 share)"),
            "hhi": ("HHI（赫芬达尔指数）", "HHI (Herfindahl-Hirschman index)"),
        },
    }
)


# --- reading results ------------------------------------------------------------------------


def column_names(result: MetricResult) -> set[str]:
    return {column.name for column in result.columns}


def read_records(result: MetricResult, *needed: str) -> list[Record] | None:
    """The rows as records, or None where a column the sentence needs is absent."""
    if not set(needed) <= column_names(result):
        return None
    return result.records()


def first_present(result: MetricResult, names: Sequence[str]) -> str | None:
    present = column_names(result)
    return next((name for name in names if name in present), None)


def distribution(
    result: MetricResult, context: Context, buckets: Sequence[str]
) -> list[tuple[str, float, float]]:
    """(label, patents, share) per bucket, largest first; the share is the result's own or,
    where it has none, the bucket's part of the distribution's total."""
    records = read_records(result, "patents")
    bucket = first_present(result, buckets)
    if records is None or bucket is None:
        return []
    rows = [
        (row_label(result, record, context.language), n, as_number(record.get("share")))
        for record in records
        if (n := as_number(record["patents"])) is not None
    ]
    total = sum(n for _label, n, _share in rows)
    if total <= 0:
        return []
    shares = [(label, n, n / total if share is None else share) for label, n, share in rows]
    return sorted(shares, key=lambda row: -row[1])


def sum_by_year(records: Sequence[Record], column: str) -> dict[int, float]:
    totals: dict[int, float] = {}
    for record in records:
        year, value = as_year(record.get("year")), as_number(record.get(column))
        if year is not None and value is not None:
            totals[year] = totals.get(year, 0.0) + value
    return totals


def peak_year(series: Mapping[int, float], years: Sequence[int]) -> int:
    """The year of most filings; the earliest of equal years."""
    return max(years, key=lambda year: (series[year], -year))


def text_in_language(record: Record, language: str) -> str | None:
    suffix = "zh" if is_zh(language) else "en"
    for name in (f"name_{suffix}", f"title_{suffix}", f"label_{suffix}"):
        value = record.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def has_value(record: Record, name: str) -> bool:
    value = record.get(name)
    return value is not None and str(value).strip() != ""


def as_number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return float(value)


def as_year(value: Value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


# --- words and numbers ------------------------------------------------------------------------


def is_zh(language: str) -> bool:
    return language.lower().startswith("zh")


def pick(language: str, *, zh: str, en: str) -> str:
    return zh if is_zh(language) else en


def plain(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def span(first: int, last: int) -> str:
    """2015\u20132020 (an en dash, as a year range is printed); one year alone."""
    return str(first) if first == last else f"{first}{EN_DASH}{last}"


def count_text(value: float) -> str:
    return f"{round(value):,}"


def percent_text(fraction: float) -> str:
    """34.2%, 41%, 183%: one decimal below 100 %, none above; a trailing .0 dropped."""
    value = fraction * 100
    text = f"{value:.0f}" if abs(value) >= 100 else f"{value:.1f}"
    return text.removesuffix(".0") + "%"


def patents_text(n: float) -> str:
    return f"{count_text(n)} patent" + ("" if round(n) == 1 else "s")


def applications_text(n: float) -> str:
    return f"{count_text(n)} application" + ("" if round(n) == 1 else "s")


def join_zh(items: Sequence[str]) -> str:
    return "、".join(items)


def join_en(items: Sequence[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "."
