"""检索字段 — the fields a patent query can name, in the spellings searchers type.

A field has one canonical code (``TI``, ``AD``, ``IPC`` …), used in the index and in the
canonical rendering of a query, and the Chinese and English names that incoPat, CNIPA and
Lens users type (``标题``, ``发明名称``, ``title``). Lookup folds width and case, so ``ti``,
``Ti``, ``TI`` and a full-width TI are the same field.

The kind says how a value is read:

========================  ============================================================
``TEXT``                  analysed full text (:mod:`ipcore.search.analysis`)
``KEYWORD``               exact values (office, kind code, type, legal status …)
``CLASSIFICATION``        IPC/CPC symbols, with prefix semantics
``NUMBER_ID``             application and publication numbers, punctuation ignored
``DATE``                  dates and date ranges
``INTEGER``               whole numbers and ranges
========================  ============================================================
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from ipcore.legal_status import Status
from ipcore.patents.record import DocumentType
from ipcore.search.analysis import normalise_text


class FieldKind(StrEnum):
    """How a field's values are read (see the module docstring)."""

    TEXT = "text"
    KEYWORD = "keyword"
    CLASSIFICATION = "classification"
    NUMBER_ID = "number_id"
    DATE = "date"
    INTEGER = "integer"


@dataclass(frozen=True)
class FieldValue:
    """One value of an enumerated field: the canonical value and what users type for it.

    ``means`` lists the canonical values an alias stands for when it is wider than one:
    ``失效`` (dead) is every way a patent ends, not only a lapse for unpaid fees, so
    ``LS=失效`` reads as an OR of the ended statuses — which the rendered query shows.
    """

    value: str
    label_zh: str
    label_en: str
    aliases: tuple[str, ...] = ()
    means: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchField:
    """检索字段 — one field of the query language.

    ``covers`` names the fields a combined field searches (``TAC`` → title, abstract,
    claims). ``values`` lists the allowed values of an enumerated KEYWORD field; other
    KEYWORD fields take any value, upper-cased where ``upper_case`` says codes are.
    ``see_also`` names a field a user may have meant when a value does not fit this one
    (``CLAIMS`` counts claims; the claims text is ``CL``).
    """

    name: str
    kind: FieldKind
    aliases_zh: tuple[str, ...]
    aliases_en: tuple[str, ...]
    label_zh: str
    label_en: str
    help_zh: str
    help_en: str
    covers: tuple[str, ...] = ()
    values: tuple[FieldValue, ...] = ()
    upper_case: bool = False
    see_also: str | None = None

    @property
    def enumerated(self) -> bool:
        """Whether only the listed ``values`` are allowed."""
        return bool(self.values)

    def read_value(self, text: str) -> tuple[str, ...] | None:
        """The canonical values an enumerated field's value stands for; None if unknown.

        ``发明`` → ``("invention",)``; ``失效`` → every ended status. Case, width, spaces,
        hyphens and underscores are ignored: ``Utility model``, ``utility-model`` and
        ``utility_model`` are one value.
        """
        return _value_index(self).get(_value_key(text))


def _value_key(text: str) -> str:
    return re.sub(r"[\s_\-]+", "", normalise_text(text))


@functools.cache
def _value_index(field: SearchField) -> Mapping[str, tuple[str, ...]]:
    index: dict[str, tuple[str, ...]] = {}
    for value in field.values:
        for spelling in (value.value, value.label_zh, value.label_en, *value.aliases):
            index[_value_key(spelling)] = value.means or (value.value,)
    return index


_TYPE_VALUES: Final = (
    FieldValue(DocumentType.INVENTION.value, "发明", "invention", ("发明专利", "发明申请")),
    FieldValue(
        DocumentType.UTILITY_MODEL.value,
        "实用新型",
        "utility model",
        ("新型", "实用新型专利", "utility"),
    ),
    FieldValue(DocumentType.DESIGN.value, "外观设计", "design", ("外观", "外观设计专利")),
    FieldValue(DocumentType.PLANT.value, "植物", "plant", ("植物专利", "plant patent")),
    FieldValue(DocumentType.REISSUE.value, "再颁", "reissue", ("再颁专利",)),
)

_ENDED: Final = (
    Status.LAPSED.value,
    Status.EXPIRED.value,
    Status.WITHDRAWN.value,
    Status.REJECTED.value,
    Status.INVALIDATED.value,
    Status.ABANDONED.value,
)

_STATUS_VALUES: Final = (
    FieldValue(Status.PENDING.value, "审中", "pending", ("在审", "审查中", "under examination")),
    FieldValue(Status.IN_FORCE.value, "有效", "in force", ("授权有效", "active", "granted")),
    FieldValue(Status.LAPSED.value, "未缴年费", "lapsed", ("未缴年费终止", "fee lapse")),
    FieldValue(Status.EXPIRED.value, "届满", "expired", ("期限届满",)),
    FieldValue(Status.WITHDRAWN.value, "撤回", "withdrawn", ("视为撤回",)),
    FieldValue(Status.REJECTED.value, "驳回", "rejected", ("refused",)),
    FieldValue(Status.INVALIDATED.value, "无效", "invalidated", ("全部无效", "invalid")),
    FieldValue(Status.ABANDONED.value, "放弃", "abandoned", ("放弃专利权",)),
    # incoPat's and CNIPA's simple status 失效 is any end, not only an unpaid fee.
    FieldValue("ended", "失效", "ended", ("inactive", "dead"), means=_ENDED),
)


def _text(
    name: str, zh: tuple[str, ...], en: tuple[str, ...], label: tuple[str, str], about: str
) -> SearchField:
    """A TEXT field; ``about`` is the English help, the Chinese one is derived from the label."""
    return SearchField(
        name=name,
        kind=FieldKind.TEXT,
        aliases_zh=zh,
        aliases_en=en,
        label_zh=label[0],
        label_en=label[1],
        help_zh=f"在{label[0]}中检索；中文按字串匹配，英文按词匹配",
        help_en=about,
    )


FIELDS: Final[tuple[SearchField, ...]] = (
    _text("TI", ("标题", "名称", "发明名称"), ("title",), ("标题", "title"), "words in the title"),
    _text("AB", ("摘要",), ("abstract",), ("摘要", "abstract"), "words in the abstract"),
    _text(
        "CL",
        ("权利要求", "权利要求书"),
        ("claim", "claimtext"),
        ("权利要求", "claims"),
        "words in the claims (the claim count is CLAIMS)",
    ),
    SearchField(
        "TAC",
        FieldKind.TEXT,
        ("标题摘要权利要求", "主题"),
        ("tiabc", "tiabcl", "topic"),
        "标题/摘要/权利要求",
        "title, abstract or claims",
        "在标题、摘要或权利要求中检索；不写字段时默认使用",
        "words in the title, abstract or claims; the field for text without a field",
        covers=("TI", "AB", "CL"),
    ),
    _text(
        "FT",
        ("全文",),
        ("fulltext", "full_text"),
        ("全文", "full text"),
        "words anywhere: title, abstract, claims and description",
    ),
    _text(
        "AP",
        ("申请人", "专利权人", "权利人"),
        ("applicant", "assignee", "owner", "pa"),
        ("申请人/专利权人", "applicant or owner"),
        "the applicant or owner name as the document prints it",
    ),
    SearchField(
        "ORG",
        FieldKind.KEYWORD,
        ("机构", "申请人机构"),
        ("organisation", "organization"),
        "机构",
        "organisation",
        "归并后的申请人机构（精确值）",
        "the organisation an applicant name was resolved to (exact value)",
    ),
    _text(
        "IN",
        ("发明人", "设计人"),
        ("inventor", "designer"),
        ("发明人", "inventor"),
        "inventor or designer names",
    ),
    SearchField(
        "IPC",
        FieldKind.CLASSIFICATION,
        ("IPC分类号", "分类号"),
        ("ipc",),
        "IPC分类号",
        "IPC classification",
        "H01M 为小类及其下所有分类；H01M4/00 或 H01M4 为大组及其小组；H01M4/525 为该小组",
        "H01M: the subclass and all below it; H01M4/00 or H01M4: the main group and its "
        "subgroups; H01M4/525: exactly that subgroup; H01M4/52*: subgroups starting 4/52",
    ),
    SearchField(
        "CPC",
        FieldKind.CLASSIFICATION,
        ("CPC分类号",),
        ("cpc",),
        "CPC分类号",
        "CPC classification",
        "写法同 IPC",
        "written as for IPC",
    ),
    SearchField(
        "AN",
        FieldKind.NUMBER_ID,
        ("申请号",),
        ("application_number", "appno"),
        "申请号",
        "application number",
        "忽略空格、点、斜线和连字符；末尾 * 为前缀匹配",
        "spaces, dots, slashes and hyphens are ignored; a trailing * matches a prefix",
    ),
    SearchField(
        "PN",
        FieldKind.NUMBER_ID,
        ("公开号", "公告号", "公开公告号", "公布号"),
        ("publication_number", "pubno"),
        "公开（公告）号",
        "publication number",
        "忽略空格、点、斜线和连字符；末尾 * 为前缀匹配",
        "spaces, dots, slashes and hyphens are ignored; a trailing * matches a prefix",
    ),
    SearchField(
        "AD",
        FieldKind.DATE,
        ("申请日",),
        ("application_date", "filing_date"),
        "申请日",
        "application date",
        "2020、2020-05、2020-05-15、20200515，或 [2020 TO 2021]、>=2020-01-01",
        "2020, 2020-05, 2020-05-15, 20200515, or [2020 TO 2021], >=2020-01-01",
    ),
    SearchField(
        "PD",
        FieldKind.DATE,
        ("公开日", "公告日", "公开公告日", "公布日"),
        ("publication_date",),
        "公开（公告）日",
        "publication date",
        "写法同申请日",
        "written as for the application date",
    ),
    SearchField(
        "GD",
        FieldKind.DATE,
        ("授权日", "授权公告日"),
        ("grant_date",),
        "授权日",
        "grant date",
        "写法同申请日",
        "written as for the application date",
    ),
    SearchField(
        "CC",
        FieldKind.KEYWORD,
        ("国家", "受理局", "国别"),
        ("office", "country", "jurisdiction", "authority"),
        "受理局",
        "office",
        "两字母代码，如 CN、US、EP、WO",
        "two-letter code such as CN, US, EP, WO",
        upper_case=True,
    ),
    SearchField(
        "KD",
        FieldKind.KEYWORD,
        ("文献种类", "文献种类代码"),
        ("kind", "kind_code"),
        "文献种类",
        "kind code",
        "如 A、B、U、S、B1",
        "such as A, B, U, S, B1",
        upper_case=True,
    ),
    SearchField(
        "TYPE",
        FieldKind.KEYWORD,
        ("专利类型",),
        ("type", "patent_type"),
        "专利类型",
        "patent type",
        "发明、实用新型、外观设计、植物、再颁",
        "invention, utility_model, design, plant, reissue",
        values=_TYPE_VALUES,
    ),
    SearchField(
        "LS",
        FieldKind.KEYWORD,
        ("法律状态", "当前法律状态"),
        ("status", "legal_status"),
        "法律状态",
        "legal status",
        "审中、有效、未缴年费、届满、撤回、驳回、无效、放弃；失效 = 所有已终止的状态",
        "pending, in_force, lapsed, expired, withdrawn, rejected, invalidated, abandoned; "
        "ended = any of the ways a patent ends",
        values=_STATUS_VALUES,
    ),
    SearchField(
        "FIELD",
        FieldKind.KEYWORD,
        ("技术领域",),
        ("field", "tech_field"),
        "技术领域",
        "technology field",
        "技术领域名称（精确值）",
        "the technology field's name (exact value)",
    ),
    SearchField(
        "CLAIMS",
        FieldKind.INTEGER,
        ("权利要求数", "权利要求项数"),
        ("claim_count", "claims_count"),
        "权利要求数",
        "claim count",
        "整数或范围，如 CLAIMS>=10、CLAIMS=[5 TO 20]",
        "a whole number or a range: CLAIMS>=10, CLAIMS=[5 TO 20]",
        see_also="CL",
    ),
)

DEFAULT_FIELD: Final[SearchField] = next(field for field in FIELDS if field.name == "TAC")
"""The field of text written without one: title, abstract or claims (incoPat's default)."""


def _spellings(field: SearchField) -> tuple[str, ...]:
    return (field.name, *field.aliases_zh, *field.aliases_en)


def _build_index() -> Mapping[str, SearchField]:
    index: dict[str, SearchField] = {}
    for field in FIELDS:
        for spelling in _spellings(field):
            key = normalise_text(spelling)
            if index.get(key, field) is not field:
                raise AssertionError(f"{spelling!r} names two fields")
            index[key] = field
    return MappingProxyType(index)


_BY_SPELLING: Final = _build_index()
FIELDS_BY_NAME: Final[Mapping[str, SearchField]] = MappingProxyType(
    {field.name: field for field in FIELDS}
)
"""Canonical code → field; the query tree names fields by code."""


def field_named(text: str) -> SearchField | None:
    """The field a user's spelling names (code, Chinese or English name), or None.

    Width and case do not matter: ``ti``, ``Title``, ``发明名称`` and a full-width TI all
    name ``TI``.
    """
    return _BY_SPELLING.get(normalise_text(text.strip()))


def close_field_names(text: str, *, limit: int = 3) -> tuple[SearchField, ...]:
    """Fields whose spellings are close to ``text`` (``TITEL`` → TI), best first, for hints."""
    matches = difflib.get_close_matches(
        normalise_text(text.strip()), list(_BY_SPELLING), n=limit * 3, cutoff=0.6
    )
    found: list[SearchField] = []
    for match in matches:
        field = _BY_SPELLING[match]
        if field not in found:
            found.append(field)
    return tuple(found[:limit])
