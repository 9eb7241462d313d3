"""A small corpus whose values are known by construction.

CN inventions of one applicant in Pudong (one in a strategic emerging industry, one with a
family member granted in the US, one maintained since 2012, one pledged, one partly
invalidated), a utility model, a pending application, US patents citing each other (a
source that lists patent references) and a US pre-grant publication.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from ipcore.patents.record import (
    Citation,
    Classification,
    DocumentType,
    LegalEventRecord,
    Priority,
    Publication,
    Scheme,
)
from ipops.corpus.models import Patent
from ipops.corpus.tests.factories import cn_record, granted_cn_record, load, us_record

D = dt.date


FILED = D(2019, 3, 1)


def granted(serial: int, *, ipc: str = "H01M 4/525", filed: dt.date = FILED, **changes: Any) -> Any:
    record = granted_cn_record(serial)
    return replace(
        record,
        application_date=filed,
        classifications=(Classification(Scheme.IPC, ipc, 1, is_main=True),),
        **changes,
    )


def build_corpus() -> dict[str, Patent]:
    """Load the corpus; returns its patents by a short name."""
    records = {
        "sei": granted(1, ipc="H04L 1/18"),  # 1.1 下一代信息网络产业
        "abroad": granted(2, family_id="FAM-2"),
        "abroad_us": us_record("10000002", family_id="FAM-2", application_date=D(2019, 6, 1)),
        "old": granted(
            3,
            filed=D(2012, 2, 1),
            legal_events=(
                LegalEventRecord("GR01", D(2014, 5, 2)),
                LegalEventRecord("TR01", D(2016, 1, 8)),
                LegalEventRecord("EE01", D(2017, 3, 9)),
            ),
        ),
        "pledged": granted(
            4,
            legal_events=(
                LegalEventRecord("GR01", D(2023, 5, 2)),
                LegalEventRecord("PE01", D(2024, 2, 1)),
            ),
        ),
        "partly": granted(
            5,
            legal_events=(
                LegalEventRecord("GR01", D(2023, 5, 2)),
                LegalEventRecord("IP01", D(2024, 8, 1)),
                LegalEventRecord("PP01", D(2025, 3, 3)),  # a court preserved it in a dispute
            ),
        ),
        "plain": granted(6),
        "pending": cn_record(7),
        "utility": replace(
            cn_record(8),
            application_number="202120000008.0",
            document_type=DocumentType.UTILITY_MODEL,
            publications=(Publication("CN213700008", "U", D(2022, 1, 4)),),
            grant_date=D(2022, 1, 4),
        ),
        "pct": granted(9, priorities=(Priority("WO", "PCT/CN2020/123456", D(2020, 1, 2)),)),
        "cited": us_record("9000001", application_date=D(2014, 1, 1), claims_count=20),
        "citing": us_record(
            "9500001",
            application_date=D(2016, 1, 1),
            claims_count=5,
            citations=(Citation(1, number="US9000001", kind="B2"),),
        ),
        "pregrant": replace(
            us_record("0000000"),
            publications=(Publication("US2015123456", "A1", D(2015, 5, 7)),),
            grant_date=None,
        ),
    }
    loaded: dict[str, Patent] = {}
    for name, record in records.items():
        (patent,) = load(record, source_name="citing-source" if name == "citing" else "test")
        loaded[name] = patent
    return loaded
