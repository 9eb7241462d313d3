"""Patent records for tests of the loader and pages.

Values are taken from a real CNIPA publication (tests/fixtures ships the XML once the
importers land): CN113781974A, filed 2021-09-13 as 202111069584.0 … The loader's rules do
not depend on the values, only on their shape.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from ipcore.patents.record import (
    Classification,
    DocumentType,
    LegalEventRecord,
    Party,
    PartyRole,
    PatentRecord,
    Publication,
    RecordLocation,
    Scheme,
    Text,
    TextField,
)
from ipops.corpus.loader import write_batch
from ipops.corpus.models import IngestRun, Patent, Source


def cn_record(serial: int = 1, **changes: Any) -> PatentRecord:
    number = f"2021110{serial:05d}"
    record = PatentRecord(
        office="CN",
        document_type=DocumentType.INVENTION,
        application_number=f"{number}.0",
        application_date=dt.date(2021, 9, 13),
        publications=(Publication(f"CN1137{serial:05d}", "A", dt.date(2021, 12, 10)),),
        texts=(
            Text(TextField.TITLE, "zh", f"一种锂电池正极材料及其制备方法{serial}"),
            Text(TextField.ABSTRACT, "zh", "本发明公开了一种锂电池正极材料。"),
        ),
        claims_count=10,
        classifications=(
            Classification(Scheme.IPC, "H01M 4/525", 1, is_main=True),
            Classification(Scheme.IPC, "H01M 10/0525", 2),
        ),
        parties=(
            Party(
                PartyRole.APPLICANT,
                1,
                "上海张江智芯科技有限公司",
                country="CN",
                address="上海市浦东新区张江路1号",
            ),
            Party(PartyRole.INVENTOR, 1, "张三"),
        ),
        location=RecordLocation("test.xml", str(serial)),
    )
    return replace(record, **changes)


def us_record(patent_number: str = "10123456", **changes: Any) -> PatentRecord:
    record = PatentRecord(
        office="US",
        document_type=DocumentType.INVENTION,
        application_date=dt.date(2016, 3, 1),
        publications=(Publication(f"US{patent_number}", "B2", dt.date(2018, 11, 13)),),
        grant_date=dt.date(2018, 11, 13),
        texts=(Text(TextField.TITLE, "en", "Battery cathode material"),),
        classifications=(Classification(Scheme.CPC, "H01M 4/525", 1, is_main=True),),
        parties=(Party(PartyRole.OWNER, 1, "Canon Kabushiki Kaisha", country="JP"),),
        location=RecordLocation("test.parquet", patent_number),
    )
    return replace(record, **changes)


def granted_cn_record(serial: int = 1) -> PatentRecord:
    return cn_record(
        serial,
        publications=(
            Publication(f"CN1137{serial:05d}", "A", dt.date(2021, 12, 10)),
            Publication(f"CN1137{serial:05d}", "B", dt.date(2023, 5, 2)),
        ),
        grant_date=dt.date(2023, 5, 2),
        legal_events=(
            LegalEventRecord("PB01", dt.date(2021, 12, 10)),
            LegalEventRecord("SE01", dt.date(2021, 12, 28)),
            LegalEventRecord("GR01", dt.date(2023, 5, 2)),
        ),
    )


def load(*records: PatentRecord, source_name: str = "test") -> list[Patent]:
    source, _ = Source.objects.get_or_create(name=source_name, defaults={"format": "test"})
    run = IngestRun.objects.create(source=source, path="test", file_sha256="0" * 64, format="test")
    result = write_batch(list(records), source=source, run=run)
    IngestRun.objects.filter(pk=run.pk).update(
        read=len(records),
        inserted=result.inserted,
        updated=result.updated,
        unchanged=result.unchanged,
        duplicates=result.duplicates,
        merged=result.merged,
        rejected=len(result.rejected),
    )
    return list(Patent.objects.filter(pk__in=result.changed_ids))
