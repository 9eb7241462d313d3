"""Reference tables for showing patent data to people: IPC titles in Chinese and English,
kind codes, legal-event codes (see ipcore/data/PROVENANCE.md for sources)."""

from __future__ import annotations

import csv
import gzip
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ipcore._data import read_data_csv
from ipcore.classification import parse_classification
from ipcore.identifiers.errors import IdentifierError


@dataclass(frozen=True)
class Title:
    zh: str
    en: str

    def in_language(self, language: str) -> str:
        """The title in the asked language, falling back to the other one."""
        first, second = (self.zh, self.en) if language.startswith("zh") else (self.en, self.zh)
        return first or second


@cache
def _ipc_titles() -> dict[str, Title]:
    raw = (resources.files("ipcore") / "data" / "ipc_zh_2026_01.csv.gz").read_bytes()
    text = gzip.decompress(raw).decode("utf-8")
    return {
        row["code"]: Title(zh=" ".join(row["title_zh"].split()), en=row["title_en_wipo"])
        for row in csv.DictReader(io.StringIO(text, newline=""))
    }


def ipc_title(code: str) -> Title | None:
    """The title of an IPC (or CPC, where it shares the IPC code) symbol; a code missing from
    the table gets its main group's or subclass's title, the nearest thing a reader can use."""
    titles = _ipc_titles()
    compact = code.replace(" ", "")
    if compact in titles:
        return titles[compact]
    try:
        parsed = parse_classification(code)
    except IdentifierError:
        return titles.get(compact[:4]) or titles.get(compact[:3]) or titles.get(compact[:1])
    for candidate in (parsed.main_group_code.replace(" ", ""), parsed.subclass_code):
        if candidate in titles:
            return titles[candidate]
    return None


# CNIPA's own names for its kind codes (GB/T / CNIPA 专利文献种类标识代码); the table above
# is English only. C and Y were the grant codes before 2010-04-07.
CN_KIND_NAMES_ZH = {
    "A": "发明专利申请公布",
    "B": "发明专利授权公告",
    "C": "发明专利授权公告（2010年4月7日前）",
    "U": "实用新型专利授权公告",
    "Y": "实用新型专利授权公告（2010年4月7日前）",
    "S": "外观设计专利授权公告",
}


@dataclass(frozen=True)
class KindCode:
    office: str
    kind: str
    description: str
    deprecated: bool

    @property
    def description_zh(self) -> str:
        return CN_KIND_NAMES_ZH.get(self.kind, "") if self.office == "CN" else ""


@cache
def _kind_codes() -> dict[tuple[str, str], KindCode]:
    rows = read_data_csv("kind_codes_cn_us_ep_wo_jp_kr.csv")
    codes: dict[tuple[str, str], KindCode] = {}
    for row in rows:
        code = KindCode(
            office=row["countryCode"],
            kind=row["kindCode"],
            description=row["docTypeLong"],
            deprecated=row["isDeprecated"] == "True",
        )
        current = codes.get((code.office, code.kind))
        if current is None or (current.deprecated and not code.deprecated):
            codes[(code.office, code.kind)] = code
    return codes


def kind_code(office: str, kind: str) -> KindCode | None:
    return _kind_codes().get((office.upper(), kind.upper()))


@dataclass(frozen=True)
class EventCode:
    code: str
    name_zh: str
    name_en: str
    event_class: str


@cache
def _event_codes() -> dict[str, EventCode]:
    return {
        row["event_code"]: EventCode(
            code=row["event_code"],
            name_zh=row["name_zh"],
            name_en=row["description_en_inpadoc"].capitalize(),
            event_class=row["event_class_description"],
        )
        for row in read_data_csv("cn_legal_event_codes.csv")
    }


def legal_event_code(code: str) -> EventCode | None:
    return _event_codes().get(code.strip().upper())


def preload() -> None:
    """Read every table now rather than on a reader's first request: a server's worker calls
    this as it starts (the IPC titles alone take about a second to parse)."""
    _ipc_titles()
    _kind_codes()
    _event_codes()
