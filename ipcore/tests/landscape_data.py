"""Fact rows for the landscape metric tests: random datasets (hypothesis strategies), a
one-patent dataset and a small hand-checked one with Chinese names."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from ipcore.industries import sei_concordance
from ipcore.landscape.metrics import MetricParams
from ipcore.landscape.schema import SCHEMAS, owner_key
from ipcore.legal_status import Status

Facts = dict[str, list[dict[str, Any]]]


def complete(facts: Facts) -> Facts:
    """Every table and every column of the schema, None where ``facts`` leave it out; an
    owner's ``key`` as the fact writer gives it (``owner_key``) where left out."""
    return {
        table: [
            {column: _value(table, row, column) for column in schema.names}
            for row in facts.get(table, [])
        ]
        for table, schema in SCHEMAS.items()
    }


def _value(table: str, row: dict[str, Any], column: str) -> Any:
    if table == "owners" and column == "key" and "key" not in row:
        return owner_key(row.get("entity_id"), row.get("name"))
    return row.get(column)


# -- random datasets ---------------------------------------------------------------------------

ENTITIES = {1: "华为技术有限公司", 2: "中兴通讯股份有限公司", 3: "Apple Inc."}
# "华为技术有限公司" also appears unresolved: two owners with one label, told apart by key.
NAMES = ("华为技术有限公司", "上海交通大学", "复旦大学", "张伟", "Zeta Corp")
INVENTORS = ("张三", "李四", "王五", "Smith, J.", "赵六")
COUNTRIES = (None, "CN", "US", "JP")
PROVINCES = (None, "310000", "440000", "110000")
CODES = (
    ("H01M 4/525", "H", "H01", "H01M", "H01M 4/00"),
    ("H01M 10/052", "H", "H01", "H01M", "H01M 10/00"),
    ("H01M", "H", "H01", "H01M", None),
    ("G06F 16/35", "G", "G06", "G06F", "G06F 16/00"),
    ("Y02E 60/10", "Y", "Y02", "Y02E", "Y02E 60/00"),
    ("A61K 31/00", "A", "A61", "A61K", "A61K 31/00"),
)
FIELD_NUMBERS = (1, 6, 13, 16, 24)
SEI_CODES = ("1.1", "1.5", "4.1")  # two share industry 1: a patent may list it twice
KEY_FIELDS = (("ai", "人工智能", "Artificial intelligence"), ("biomedicine", "生物医药", None))

dates = st.none() | st.dates(dt.date(2012, 1, 1), dt.date(2024, 12, 31))


@st.composite
def owner_rows(draw: st.DrawFn) -> dict[str, Any]:
    entity = draw(st.none() | st.sampled_from(sorted(ENTITIES)))
    if entity is not None:
        name = draw(st.sampled_from([ENTITIES[entity], None]))
    else:
        name = draw(st.none() | st.sampled_from(NAMES))
    return {
        "entity_id": entity,
        "name": name,
        "country": draw(st.sampled_from(COUNTRIES)),
        "province": draw(st.sampled_from(PROVINCES)),
    }


@st.composite
def patent_facts(draw: st.DrawFn, patent_id: int) -> Facts:
    family = draw(st.none() | st.sampled_from(["F1", "F2", "F3"]))
    patent = {
        "patent_id": patent_id,
        "office": draw(st.sampled_from([None, "CN", "US", "EP"])),
        "type": "invention",
        "application_date": draw(dates),
        "publication_date": draw(dates),
        "grant_date": draw(dates),
        "family_id": family,
        "family_size": draw(st.none() | st.integers(1, 12)),
        "family_offices": draw(st.none() | st.integers(1, 3)),
        "legal_status": draw(st.none() | st.sampled_from([s.value for s in Status])),
        "expiry_date": draw(st.none() | st.dates(dt.date(2020, 1, 1), dt.date(2049, 12, 31))),
        "title": draw(st.none() | st.sampled_from(["锂电池正极材料", "Battery pack"])),
        "citations": draw(st.none() | st.integers(0, 5)),
        "cited_by": draw(st.none() | st.integers(0, 5)),
    }
    owners = draw(st.lists(owner_rows(), max_size=3))
    positions = draw(st.sampled_from(["ordered", "with_null"]))
    for index, owner in enumerate(owners):
        owner["patent_id"] = patent_id
        owner["position"] = None if positions == "with_null" and index == 0 else index + 1
    inventors = [
        {"patent_id": patent_id, "position": index + 1, "name": name, "country": country}
        for index, (name, country) in enumerate(
            draw(
                st.lists(
                    st.tuples(st.none() | st.sampled_from(INVENTORS), st.sampled_from(COUNTRIES)),
                    max_size=3,
                )
            )
        )
    ]
    classes = [
        {
            "patent_id": patent_id,
            "scheme": scheme,
            "code": code[0],
            "section": code[1],
            "class_code": code[2],
            "subclass": code[3],
            "main_group": code[4],
            "is_main": index == 0,
        }
        for index, (scheme, code) in enumerate(
            draw(
                st.lists(
                    st.tuples(st.sampled_from(["ipc", "cpc"]), st.sampled_from(CODES)), max_size=3
                )
            )
        )
    ]
    fields = [
        {"patent_id": patent_id, "field": number}
        for number in draw(st.lists(st.sampled_from(FIELD_NUMBERS), max_size=2))
    ]
    industries = []
    for code in draw(st.lists(st.sampled_from(SEI_CODES), max_size=2, unique=True)):
        category = sei_concordance().category(code)
        industry = sei_concordance().category(category.parent or code)
        for scheme, named in (("sei_category", category), ("sei_industry", industry)):
            industries.append(
                {
                    "patent_id": patent_id,
                    "scheme": scheme,
                    "code": named.code,
                    "name_zh": named.name_zh,
                    "name_en": named.name_en,
                }
            )
    for code, name_zh, name_en in draw(st.lists(st.sampled_from(KEY_FIELDS), max_size=2)):
        industries.append(
            {
                "patent_id": patent_id,
                "scheme": "key_field",
                "code": code,
                "name_zh": name_zh,
                "name_en": name_en,
            }
        )
    return {
        "patents": [patent],
        "owners": owners,
        "inventors": inventors,
        "classes": classes,
        "fields": fields,
        "industries": industries,
    }


@st.composite
def datasets(draw: st.DrawFn) -> Facts:
    size = draw(st.integers(0, 9))
    facts: Facts = {table: [] for table in SCHEMAS}
    for patent_id in range(1, size + 1):
        for table, rows in draw(patent_facts(patent_id)).items():
            facts[table].extend(rows)
    return facts


# Many parties, so a network's busiest few (``networks.PROBE_PER_EDGE`` per edge asked for)
# are not all of them: the pruned pairing is then tested against every pairing.
CROWD = 40


@st.composite
def crowded_datasets(draw: st.DrawFn) -> Facts:
    """Up to 60 patents, each naming up to 6 of :data:`CROWD` owners and of as many
    inventors, now and then one of them twice; a few patents have an application date."""
    size = draw(st.integers(1, 60))
    facts: Facts = {table: [] for table in SCHEMAS}
    party = st.integers(0, CROWD - 1)
    for patent_id in range(1, size + 1):
        facts["patents"].append(
            {"patent_id": patent_id, "office": "CN", "application_date": draw(dates)}
        )
        for position, number in enumerate(draw(st.lists(party, max_size=6)), 1):
            entity = number if number % 3 == 0 else None  # some resolved, some by name
            facts["owners"].append(
                {
                    "patent_id": patent_id,
                    "position": position,
                    "entity_id": entity,
                    "name": f"Owner {number % 7:02d}"
                    if entity is not None
                    else f"Owner {number:02d}",
                }
            )
        for position, number in enumerate(draw(st.lists(party, max_size=6)), 1):
            facts["inventors"].append(
                {"patent_id": patent_id, "position": position, "name": f"Inventor {number:02d}"}
            )
    return complete(facts)


params = st.builds(
    MetricParams,
    as_of=st.dates(dt.date(2023, 1, 1), dt.date(2026, 12, 31)),
    top=st.integers(1, 4),
    matrix_top=st.integers(1, 3),
    network_top=st.integers(1, 3),
    recent_years=st.integers(1, 6),
    white_space_min_patents=st.integers(1, 3),
)


def one_patent() -> Facts:
    return complete(
        {
            "patents": [
                {
                    "patent_id": 7,
                    "office": "CN",
                    "type": "invention",
                    "application_date": dt.date(2021, 3, 15),
                    "publication_date": dt.date(2022, 9, 20),
                    "legal_status": "pending",
                    "title": "一种固态电解质",
                }
            ],
            "owners": [
                {"patent_id": 7, "position": 1, "name": "上海某新能源科技有限公司", "country": "CN"}
            ],
        }
    )


def _industry(patent_id: int, scheme: str, code: str) -> dict[str, Any]:
    category = sei_concordance().category(code)
    return {
        "patent_id": patent_id,
        "scheme": scheme,
        "code": code,
        "name_zh": category.name_zh,
        "name_en": category.name_en,
    }


# A hand-checked example: five CN patents of Shanghai and Shenzhen owners.
#   1 华为 (entity 1) + 上海交通大学, filed 2019, granted, in force to 2039-05-10
#   2 华为 (entity 1), filed 2021, in force to 2041-02-01
#   3 上海交通大学 + 复旦大学, filed 2021, pending
#   4 复旦大学 + 上海交通大学, filed 2023, pending, no IPC but a CPC code
#   5 no owner, no application date, lapsed
HAND: Facts = complete(
    {
        "patents": [
            {
                "patent_id": 1,
                "office": "CN",
                "application_date": dt.date(2019, 5, 10),
                "publication_date": dt.date(2020, 11, 3),
                "grant_date": dt.date(2022, 1, 4),
                "legal_status": "in_force",
                "expiry_date": dt.date(2039, 5, 10),
                "family_id": "F1",
                "family_size": 3,
                "family_offices": 2,
                "citations": 4,
                "cited_by": 6,
                "title": "锂离子电池正极材料",
            },
            {
                "patent_id": 2,
                "office": "CN",
                "application_date": dt.date(2021, 2, 1),
                "publication_date": dt.date(2022, 8, 9),
                "grant_date": dt.date(2023, 6, 2),
                "legal_status": "in_force",
                "expiry_date": dt.date(2041, 2, 1),
                "family_id": "F2",
                "family_size": 1,
                "family_offices": 1,
                "citations": 2,
                "cited_by": 0,
                "title": "电池管理系统",
            },
            {
                "patent_id": 3,
                "office": "CN",
                "application_date": dt.date(2021, 9, 30),
                "publication_date": dt.date(2023, 3, 31),
                "legal_status": "pending",
                "family_id": "F1",
                "family_size": 3,
                "family_offices": 2,
                "citations": 0,
                "cited_by": 1,
                "title": "固态电解质",
            },
            {
                "patent_id": 4,
                "office": "CN",
                "application_date": dt.date(2023, 4, 1),
                "legal_status": "pending",
                "citations": 1,
                "title": "电解液添加剂",
            },
            {"patent_id": 5, "office": "US", "legal_status": "lapsed", "title": "Battery"},
        ],
        "owners": [
            {
                "patent_id": 1,
                "position": 1,
                "entity_id": 1,
                "name": "华为技术有限公司",
                "country": "CN",
                "province": "440000",
            },
            {
                "patent_id": 1,
                "position": 2,
                "name": "上海交通大学",
                "country": "CN",
                "province": "310000",
            },
            {
                "patent_id": 2,
                "position": 1,
                "entity_id": 1,
                "name": "华为技术有限公司",
                "country": "CN",
                "province": "440000",
            },
            {
                "patent_id": 3,
                "position": 1,
                "name": "上海交通大学",
                "country": "CN",
                "province": "310000",
            },
            {
                "patent_id": 3,
                "position": 2,
                "name": "复旦大学",
                "country": "CN",
                "province": "310000",
            },
            {
                "patent_id": 4,
                "position": 1,
                "name": "复旦大学",
                "country": "CN",
                "province": "310000",
            },
            {
                "patent_id": 4,
                "position": 2,
                "name": "上海交通大学",
                "country": "CN",
                "province": "310000",
            },
        ],
        "inventors": [
            {"patent_id": 1, "position": 1, "name": "张三", "country": "CN"},
            {"patent_id": 1, "position": 2, "name": "李四", "country": "CN"},
            {"patent_id": 3, "position": 1, "name": "张三", "country": "CN"},
            {"patent_id": 3, "position": 2, "name": "李四", "country": "CN"},
            {"patent_id": 4, "position": 1, "name": "王五", "country": "CN"},
        ],
        "classes": [
            {
                "patent_id": 1,
                "scheme": "ipc",
                "code": "H01M 4/525",
                "section": "H",
                "class_code": "H01",
                "subclass": "H01M",
                "main_group": "H01M 4/00",
                "is_main": True,
            },
            {
                "patent_id": 2,
                "scheme": "ipc",
                "code": "H01M 10/42",
                "section": "H",
                "class_code": "H01",
                "subclass": "H01M",
                "main_group": "H01M 10/00",
                "is_main": True,
            },
            {
                "patent_id": 2,
                "scheme": "ipc",
                "code": "G06F 1/26",
                "section": "G",
                "class_code": "G06",
                "subclass": "G06F",
                "main_group": "G06F 1/00",
                "is_main": False,
            },
            {
                "patent_id": 3,
                "scheme": "ipc",
                "code": "H01M 10/0562",
                "section": "H",
                "class_code": "H01",
                "subclass": "H01M",
                "main_group": "H01M 10/00",
                "is_main": True,
            },
            {
                "patent_id": 3,
                "scheme": "cpc",
                "code": "Y02E 60/10",
                "section": "Y",
                "class_code": "Y02",
                "subclass": "Y02E",
                "main_group": "Y02E 60/00",
                "is_main": False,
            },
            {
                "patent_id": 4,
                "scheme": "cpc",
                "code": "H01M 10/0567",
                "section": "H",
                "class_code": "H01",
                "subclass": "H01M",
                "main_group": "H01M 10/00",
                "is_main": True,
            },
        ],
        "fields": [
            {"patent_id": 1, "field": 1},
            {"patent_id": 2, "field": 1},
            {"patent_id": 2, "field": 6},
            {"patent_id": 3, "field": 1},
            {"patent_id": 4, "field": 1},
        ],
        # 1 and 2 in SEI 5.2 (new-energy vehicle parts), 2 also in 1.2; none in a key field.
        "industries": [
            _industry(1, "sei_category", "5.2"),
            _industry(1, "sei_industry", "5"),
            _industry(2, "sei_category", "5.2"),
            _industry(2, "sei_category", "1.2"),
            _industry(2, "sei_industry", "5"),
            _industry(2, "sei_industry", "1"),
        ],
    }
)
