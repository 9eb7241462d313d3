"""The mapping-driven CSV/TSV/XLSX reader on real rows, and every bad-input rule.

Fixtures (``fixtures/formats/tables``, see PROVENANCE.md): 268 records of the Lens drones
export and the first 300 rows of cn-patent-titles-ipc. Every bad input below is built at run
time from those real rows with one thing changed, so what each test proves is visible here.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from ipcore.formats import registry, tabular
from ipcore.formats._table_mapping import FIELD_KINDS, MappingError, load_mapping, parse_mapping
from ipcore.formats.base import FileFormatError
from ipcore.identifiers.cn import cn_check_digit
from ipcore.patents.record import (
    DocumentType,
    PartyRole,
    PatentRecord,
    RecordError,
    Scheme,
    TextField,
)

TABLES = Path(__file__).parent / "fixtures/formats/tables"
LENS = TABLES / "lens-drones-sample.csv.gz"
CN_TITLES = TABLES / "cn-titles-sample.csv.gz"
MAPPINGS = Path(__file__).resolve().parents[1] / "data/mappings"

ReadResult = PatentRecord | RecordError


def read_all(path: Path, mapping: str | Path | None = None) -> list[ReadResult]:
    return list(tabular.read(path, mapping))


def by_label(results: list[ReadResult]) -> dict[str, PatentRecord]:
    return {r.publications[0].label: r for r in results if isinstance(r, PatentRecord)}


def plain(record: PatentRecord) -> PatentRecord:
    """A record without where it came from, to compare readings of the same rows."""
    return replace(record, location=None, warnings=())


def text_of(path: Path) -> str:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        return handle.read()


def rows_of(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text_of(path), newline="")))


def write_csv(path: Path, rows: list[list[str]], *, delimiter: str = ",") -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


@pytest.fixture(scope="module")
def lens() -> dict[str, PatentRecord]:
    return by_label(read_all(LENS))


@pytest.fixture(scope="module")
def cn_titles() -> list[ReadResult]:
    return read_all(CN_TITLES)


# --- Lens -------------------------------------------------------------------------------------


def test_the_lens_layout_is_recognised_from_its_header() -> None:
    layout = tabular.describe(LENS)

    assert (layout.mapping.name, layout.encoding, layout.delimiter) == ("lens", "utf-8-sig", ",")
    assert layout.header.rows == (1,)
    assert layout.unknown_columns == ()


def test_every_lens_row_is_read_and_the_one_impossible_number_is_rejected() -> None:
    results = read_all(LENS)
    errors = [r for r in results if isinstance(r, RecordError)]

    assert len(results) == 268
    # Lens wrote the PCT application of WO 1986/003935 A1 as "AU 1927/085003 W".
    assert [(e.field_name, e.location and e.location.record) for e in errors] == [
        ("Application Number", "row 246")
    ]
    assert "1927" in errors[0].reason


def test_a_lens_row_maps_every_field(lens: dict[str, PatentRecord]) -> None:
    # Row 3: AT 556755 T, priorities FR 1051751 A 20100311;;FR 1054449 A 20100607.
    record = lens["AT556755T"]

    assert (record.office, record.application_number) == ("AT", "11153172")
    assert record.application_date == dt.date(2011, 2, 3)
    assert record.publications[0].date == dt.date(2012, 5, 15)
    assert [(p.office, p.number, p.date) for p in record.priorities] == [
        ("FR", "1051751", dt.date(2010, 3, 11)),
        ("FR", "1054449", dt.date(2010, 6, 7)),
    ]
    assert [p.name for p in record.parties_in(PartyRole.APPLICANT)] == ["PARROT"]
    assert [p.name for p in record.parties_in(PartyRole.INVENTOR)] == [
        "SEYDOUX HENRI",
        "D HAEYER FREDERIC",
    ]
    cpc = [c for c in record.classifications if c.scheme is Scheme.CPC]
    assert [c.code for c in cpc][:2] == ["A63H 30/04", "A63F 2009/241"]
    assert [c.code for c in cpc if c.is_main] == ["A63H 30/04"]
    assert record.document_type is DocumentType.UNKNOWN  # Lens type "unknown"
    assert record.location is not None and record.location.record == "row 3"
    assert (record.family_id, record.family_size) == (None, 11)  # Lens' simple family


def test_a_family_size_that_is_not_a_count_rejects_its_row_only(tmp_path: Path) -> None:
    rows = rows_of(LENS)
    column = rows[0].index("Simple Family Size")
    rows[1][column], rows[2][column] = "0", "two"
    results = read_all(write_csv(tmp_path / "lens.csv", rows))
    errors = [r for r in results if isinstance(r, RecordError)]
    assert [(e.field_name, e.location and e.location.record) for e in errors][:2] == [
        ("Simple Family Size", "row 2"),
        ("Simple Family Size", "row 3"),
    ]
    assert "at least 1" in errors[0].reason and "whole number" in errors[1].reason
    assert len(results) == 268  # every other row still read


def test_cn_rows_get_check_digits_and_their_type_from_the_number(
    lens: dict[str, PatentRecord],
) -> None:
    invention = lens["CN101025382A"]
    assert invention.application_number == "200710063161.5"  # Lens gives no check digit
    assert invention.key == "CN:200710063161.5"
    assert (invention.document_type, invention.grant_date) == (DocumentType.INVENTION, None)

    utility = next(r for r in lens.values() if r.office == "CN" and r.publications[0].kind == "U")
    assert utility.document_type is DocumentType.UTILITY_MODEL
    assert utility.grant_date == utility.publications[0].date  # "Limited Patent" is granted


def test_pct_application_numbers_are_normalised(lens: dict[str, PatentRecord]) -> None:
    record = lens["WO2000001198A1"]

    assert record.application_number == "PCT/US1999/012817"  # Lens: "US 9912817 W"
    assert record.key == "WO:PCT/US1999/012817"


def test_numbers_in_unknown_national_styles_are_kept_with_a_warning(
    lens: dict[str, PatentRecord],
) -> None:
    record = lens["TWM415289U"]

    assert record.publications[0].number == "TWM415289"
    assert any(w.startswith("Publication Number: kept as written") for w in record.warnings)


def test_subclass_only_ipcr_codes_are_kept_as_subclasses(lens: dict[str, PatentRecord]) -> None:
    subclasses = [c.code for r in lens.values() for c in r.classifications if "/" not in c.code]
    assert subclasses and all(len(code) == 4 for code in subclasses)


def test_format_aliases_read_with_their_mapping() -> None:
    reader = registry.reader_for("lens")

    assert reader.NAME == "lens"
    assert [plain(r) for r in by_label(list(reader.read(LENS))).values()] == [
        plain(r) for r in by_label(read_all(LENS, "lens")).values()
    ]
    assert registry.guess_format(LENS).NAME == "lens"
    assert registry.guess_format(CN_TITLES).NAME == "cn-titles"
    assert {"lens", "cn-titles", "table", "patentsview"} <= set(registry.format_names())
    with pytest.raises(KeyError, match="unknown format"):
        registry.reader_for("nope")


def test_an_alias_sniffs_only_its_own_layout() -> None:
    lens_reader = registry.reader_for("lens")

    assert lens_reader.sniff(LENS, LENS.read_bytes()[:64])
    assert not lens_reader.sniff(CN_TITLES, CN_TITLES.read_bytes()[:64])


# --- cn-titles ----------------------------------------------------------------------------------


def test_cn_titles_are_read_with_zh_titles_and_ipc_subclasses(cn_titles: list[ReadResult]) -> None:
    records = [r for r in cn_titles if isinstance(r, PatentRecord)]
    first = records[0]

    assert len(records) == len(cn_titles) == 300
    assert first.key == "CN:pub:CN114081026"
    assert first.text(TextField.TITLE, "zh") == "一种水电站高压输电线路驱鸟保护装置"
    assert [(c.scheme, c.code, c.is_main) for c in first.classifications] == [
        (Scheme.IPC, "A01M", False),
        (Scheme.IPC, "G06F", False),
        (Scheme.IPC, "H02G", False),
    ]
    kinds = {r.publications[0].kind: r.document_type for r in records}
    assert kinds == {
        "A": DocumentType.INVENTION,
        "B": DocumentType.INVENTION,
        "U": DocumentType.UTILITY_MODEL,
    }


# --- encodings and line endings ----------------------------------------------------------------


def test_a_gbk_file_reads_like_the_utf8_original(
    tmp_path: Path, cn_titles: list[ReadResult]
) -> None:
    gbk = tmp_path / "cn-titles-gbk.csv"
    gbk.write_bytes(text_of(CN_TITLES).encode("gbk"))

    results = read_all(gbk)

    assert tabular.describe(gbk).encoding == "gb18030"
    assert [plain(r) for r in results if isinstance(r, PatentRecord)] == [
        plain(r) for r in cn_titles if isinstance(r, PatentRecord)
    ]
    first = results[0]
    assert isinstance(first, PatentRecord)
    assert first.warnings == ("file: decoded as GB18030 (not UTF-8)",)
    assert all(isinstance(r, PatentRecord) and not r.warnings for r in results[1:])


def test_a_late_gbk_character_is_not_missed(tmp_path: Path, cn_titles: list[ReadResult]) -> None:
    # ASCII for 60 KB, then the Chinese rows: a decision from the first bytes would say UTF-8.
    text = text_of(CN_TITLES)
    header, body = text.split("\r\n", 1)
    padding = "".join(f"CN1{n:08d}A,x,A01M\r\n" for n in range(3000))
    late = tmp_path / "late-gbk.csv"
    late.write_bytes(f"{header}\r\n{padding}{body}".encode("gbk"))

    assert tabular.describe(late).encoding == "gb18030"
    assert len(read_all(late)) == 3300


@pytest.mark.parametrize(
    ("name", "transform"),
    [
        ("bom.csv", lambda text: ("\ufeff" + text).encode("utf-8")),
        ("bare-cr.csv", lambda text: text.replace("\r\n", "\r").encode("utf-8")),
        ("lf.csv", lambda text: text.replace("\r\n", "\n").encode("utf-8")),
        ("gzipped.csv.gz", lambda text: gzip.compress(text.encode("utf-8"), mtime=0)),
    ],
)
def test_boms_line_endings_and_gzip_do_not_change_the_records(
    tmp_path: Path, cn_titles: list[ReadResult], name: str, transform: object
) -> None:
    assert callable(transform)
    copy = tmp_path / name
    copy.write_bytes(transform(text_of(CN_TITLES)))

    assert [plain(r) for r in read_all(copy) if isinstance(r, PatentRecord)] == [
        plain(r) for r in cn_titles if isinstance(r, PatentRecord)
    ]


def test_tsv_reads_like_csv(tmp_path: Path, cn_titles: list[ReadResult]) -> None:
    tsv = write_csv(tmp_path / "cn-titles.tsv", rows_of(CN_TITLES), delimiter="\t")

    assert tabular.describe(tsv).delimiter == "\t"
    assert [plain(r) for r in read_all(tsv) if isinstance(r, PatentRecord)] == [
        plain(r) for r in cn_titles if isinstance(r, PatentRecord)
    ]


# --- broken archives ---------------------------------------------------------------------------


def test_a_truncated_gzip_is_refused_before_any_record(tmp_path: Path) -> None:
    truncated = tmp_path / "lens-truncated.csv.gz"
    truncated.write_bytes(LENS.read_bytes()[: LENS.stat().st_size // 2])

    with pytest.raises(FileFormatError, match="truncated or corrupt"):
        next(tabular.read(truncated))


def test_a_garbled_gzip_is_refused_before_any_record(tmp_path: Path) -> None:
    data = bytearray(LENS.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(64)
    garbled = tmp_path / "lens-garbled.csv.gz"
    garbled.write_bytes(bytes(data))

    with pytest.raises(FileFormatError, match="lens-garbled"):
        next(tabular.read(garbled))


def test_legacy_xls_is_refused_with_a_hint(tmp_path: Path) -> None:
    xls = tmp_path / "export.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))

    with pytest.raises(FileFormatError, match=r"save it as \.xlsx"):
        next(tabular.read(xls, "lens"))


# --- columns -----------------------------------------------------------------------------------


def test_missing_required_columns_are_named(tmp_path: Path) -> None:
    rows = [row[:1] for row in rows_of(CN_TITLES)]  # publication_number only
    narrow = write_csv(tmp_path / "narrow.csv", rows)

    with pytest.raises(FileFormatError, match=r"missing required columns .*title, ipc_subclasses"):
        next(tabular.read(narrow, "cn-titles"))
    with pytest.raises(FileFormatError, match="matches no known mapping"):
        next(tabular.read(narrow))


def test_unknown_columns_are_listed_once_not_refused(tmp_path: Path) -> None:
    rows = [[*row, "Extra"] for row in rows_of(CN_TITLES)]
    rows[0][-1] = "备注"
    wider = write_csv(tmp_path / "wider.csv", rows)

    results = [r for r in read_all(wider) if isinstance(r, PatentRecord)]

    assert len(results) == 300
    assert results[0].warnings == ("file: columns not in mapping 'cn-titles', ignored: 备注",)
    assert not any(r.warnings for r in results[1:])


def test_duplicated_rows_pass_through(tmp_path: Path) -> None:
    rows = rows_of(CN_TITLES)[:3]
    twice = write_csv(tmp_path / "twice.csv", [*rows, rows[1]])

    results = read_all(twice)

    assert [r.key for r in results if isinstance(r, PatentRecord)] == [
        "CN:pub:CN114081026",
        "CN:pub:CN215667380",
        "CN:pub:CN114081026",
    ]


# --- bad values --------------------------------------------------------------------------------


def lens_rows() -> list[list[str]]:
    return rows_of(LENS)


def test_an_impossible_date_rejects_its_row_only(tmp_path: Path) -> None:
    rows = lens_rows()[:4]
    rows[2][5] = "2021-02-30"  # Publication Date of BE 905621 A1
    bad = write_csv(tmp_path / "lens-bad-date.csv", rows)

    results = read_all(bad)
    errors = [r for r in results if isinstance(r, RecordError)]

    assert len(results) == 3
    assert [(e.field_name, e.location and e.location.record) for e in errors] == [
        ("Publication Date", "row 3")
    ]
    assert "impossible date: '2021-02-30'" in errors[0].reason


@pytest.mark.parametrize(
    ("column", "value", "field"),
    [
        (3, "not a number", "Publication Number"),
        (7, "CN 2007-1-0063161", "Application Number"),
        (8, "30.02.2021x", "Application Date"),
    ],
)
def test_unreadable_values_reject_the_row_naming_the_column(
    tmp_path: Path, column: int, value: str, field: str
) -> None:
    rows = lens_rows()[:3]
    rows[1][column] = value
    bad = write_csv(tmp_path / "lens-bad.csv", rows)

    first, second = read_all(bad)

    assert isinstance(first, RecordError) and isinstance(second, PatentRecord)
    assert (first.field_name, first.location and first.location.record) == (field, "row 2")


def test_a_wrong_cn_check_digit_is_a_warning_not_an_error(tmp_path: Path) -> None:
    rows = lens_rows()
    header, cn_row = rows[0], next(row for row in rows if row[3] == "CN 101025382 A")
    right = cn_check_digit("200710063161")
    wrong = "4" if right != "4" else "3"
    cn_row[7] = f"CN 200710063161.{wrong} A"
    bad = write_csv(tmp_path / "lens-check-digit.csv", [header, cn_row])

    (record,) = read_all(bad)

    assert isinstance(record, PatentRecord)
    assert record.application_number == f"200710063161.{wrong}"  # kept as given
    assert record.warnings == (
        f"Application Number: check digit of 200710063161 should be {right}, got {wrong} "
        f"(申请号200710063161的校验位应为{right}，实为{wrong})",
    )


def test_an_unknown_type_value_is_unknown_with_a_warning(tmp_path: Path) -> None:
    rows = lens_rows()[:2]
    rows[1][14] = "Utility Certificate"
    odd = write_csv(tmp_path / "lens-type.csv", rows)

    (record,) = read_all(odd)

    assert isinstance(record, PatentRecord)
    assert record.document_type is DocumentType.UNKNOWN
    assert record.warnings == (
        "Type: 'Utility Certificate' is not in mapping 'lens'; type unknown",
    )


def test_an_oversized_cell_rejects_its_row_and_reading_goes_on(tmp_path: Path) -> None:
    rows = rows_of(CN_TITLES)[:4]
    rows[2][1] = "驱" * 200_000  # past the csv module's field limit
    huge = write_csv(tmp_path / "huge.csv", rows)

    results = read_all(huge)

    assert [type(r).__name__ for r in results] == ["PatentRecord", "RecordError", "PatentRecord"]
    error = results[1]
    assert isinstance(error, RecordError) and error.location is not None
    assert error.location.record == "row 3"


# --- XLSX --------------------------------------------------------------------------------------

INCOPAT_HEADERS = ("公开（公告）号", "申请号", "申请日", "标题", "IPC主分类", "IPC", "法律状态")


def incopat_rows() -> list[list[object]]:
    """Real Lens CN rows laid out as the example incoPat mapping expects them."""
    header = lens_rows()[0]
    column = {name: index for index, name in enumerate(header)}
    found: list[list[object]] = []
    for row in lens_rows()[1:]:
        if row[column["Jurisdiction"]] != "CN" or not row[column["IPCR Classifications"]]:
            continue
        body = row[column["Application Number"]].split()[1]
        applicants = row[column["Applicants"]].split(";;")
        ipc = row[column["IPCR Classifications"]].split(";;")
        found.append(
            [
                row[column["Publication Number"]].replace(" ", ""),
                f"CN{body}.{cn_check_digit(body)}",
                dt.datetime.fromisoformat(row[column["Application Date"]]),
                row[column["Title"]],
                applicants[0],
                "; ".join(applicants[1:]) or None,
                "; ".join(row[column["Inventors"]].split(";;")) or None,
                ipc[0],
                "; ".join(ipc),
                "有效",
            ]
        )
    several = next(row for row in found if row[5])  # one with more than one applicant
    return [*found[:4], several]


def write_incopat_xlsx(path: Path, rows: list[list[object]]) -> Path:
    """A title line, then a two-row header: 申请人 merged over 第一申请人 | 其他申请人."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    width = len(rows[0])
    sheet.append(["incoPat 检索结果"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    top = [*INCOPAT_HEADERS[:4], "申请人", None, "发明人", *INCOPAT_HEADERS[4:]]
    sheet.append(top)
    sheet.append([None, None, None, None, "第一申请人", "其他申请人"])
    sheet.merge_cells(start_row=2, start_column=5, end_row=2, end_column=6)
    for column, name in enumerate(top, start=1):
        if name and name != "申请人":
            sheet.merge_cells(start_row=2, start_column=column, end_row=3, end_column=column)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_an_xlsx_with_a_title_line_and_merged_two_row_header(tmp_path: Path) -> None:
    rows = incopat_rows()
    xlsx = write_incopat_xlsx(tmp_path / "incopat.xlsx", rows)

    layout = tabular.describe(xlsx)
    results = read_all(xlsx)

    assert (layout.mapping.name, layout.header.rows, layout.unknown_columns) == (
        "incopat-example",
        (2, 3),
        (),
    )
    assert layout.header.names[4:6] == ("申请人/第一申请人", "申请人/其他申请人")
    assert len(results) == len(rows) == 5
    first = results[0]
    assert isinstance(first, PatentRecord)
    assert first.location is not None and first.location.record == "row 4"
    assert first.key == "CN:200710063161.5"
    assert first.application_date == dt.date(2007, 1, 30)
    assert first.document_type is DocumentType.INVENTION
    ipc = first.classifications
    assert [(c.code, c.is_main) for c in ipc][:2] == [("G01M 11/00", True), ("H04N 5/335", False)]
    assert first.warnings == ("file: two-row header (merged cells) in rows (2, 3)",)
    several = results[4]
    assert isinstance(several, PatentRecord)
    expected = [str(rows[4][4]), *str(rows[4][5]).split("; ")]
    assert len(expected) > 1
    assert [p.name for p in several.parties_in(PartyRole.APPLICANT)] == expected


def test_xlsx_bad_values_name_the_sheet_row(tmp_path: Path) -> None:
    rows = incopat_rows()
    rows[1][2] = "2021-02-30"  # a text cell, as a hand-edited export would hold
    xlsx = write_incopat_xlsx(tmp_path / "incopat-bad.xlsx", rows)

    errors = [r for r in read_all(xlsx) if isinstance(r, RecordError)]

    assert [(e.field_name, e.location and e.location.record) for e in errors] == [
        ("申请日", "row 5")
    ]


def test_a_header_merged_across_columns_names_them_all(
    tmp_path: Path, cn_titles: list[ReadResult]
) -> None:
    # ipc_subclasses merged over three columns, one subclass per column.
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    rows = rows_of(CN_TITLES)[1:]
    width = max(row[2].count("|") + 1 for row in rows)
    sheet.append(["publication_number", "title", "ipc_subclasses", *[None] * (width - 1)])
    sheet.merge_cells(start_row=1, start_column=3, end_row=1, end_column=2 + width)
    for number, title, subclasses in rows:
        sheet.append([number, title, *subclasses.split("|")])
    xlsx = tmp_path / "cn-titles.xlsx"
    workbook.save(xlsx)

    results = read_all(xlsx)

    assert tabular.describe(xlsx).header.names == (
        "publication_number",
        "title",
        *["ipc_subclasses"] * width,
    )
    assert [plain(r) for r in results if isinstance(r, PatentRecord)] == [
        plain(r) for r in cn_titles if isinstance(r, PatentRecord)
    ]


# --- mappings as data --------------------------------------------------------------------------


def test_a_user_mapping_file_reads_a_renamed_export(tmp_path: Path) -> None:
    rows = rows_of(CN_TITLES)
    rows[0] = ["公开号", "名称", "分类号"]
    export = write_csv(tmp_path / "export.csv", rows)
    mapping = tmp_path / "mine.toml"
    mapping.write_text(
        'name = "mine"\n'
        'signature = ["公开号", "名称"]\n'
        "[office]\nfrom_number = true\n"
        "[columns]\n"
        'publication_number = "公开号"\n'
        'title = { column = "名称", language = "zh" }\n'
        'ipc = { column = "分类号", split = "|" }\n',
        encoding="utf-8",
    )

    records = [r for r in read_all(export, mapping) if isinstance(r, PatentRecord)]

    assert len(records) == 300
    assert records[0].text(TextField.TITLE, "zh") == "一种水电站高压输电线路驱鸟保护装置"
    assert records[0].document_type is DocumentType.UNKNOWN  # no type rule in this mapping


def test_a_reader_can_carry_a_user_mapping_and_a_broken_one_fails_the_file(
    tmp_path: Path,
) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text('name = "broken"\nsignature = ["title"]\n', encoding="utf-8")
    reader = tabular.reader_with_mapping("table", MAPPINGS / "cn-titles.toml")

    assert (reader.NAME, reader.mapping.name) == ("table", "cn-titles")
    assert len(list(reader.read(CN_TITLES))) == 300
    with pytest.raises(FileFormatError, match=r"mapping .*broken\.toml"):
        next(tabular.read(CN_TITLES, broken))


@pytest.mark.parametrize(
    ("toml", "complaint"),
    [
        ('name = "x"\nsignature = ["a"]\nsheets = "y"\n', "unknown key sheets"),
        ('name = "x"\nsignature = ["a"]\n[columns]\ntitel = "a"\n', "columns.titel: unknown field"),
        ('name = "x"\nsignature = ["a"]\n[columns]\ntitle = "a"\n', "title.language"),
        (
            'name = "x"\nsignature = ["a"]\n[office]\ndefault = "CN"\n[columns]\n'
            'publication_number = { column = "a", parse = "pct" }\n',
            "parse",
        ),
        ('name = "x"\nsignature = ["a"]\n[columns]\npublication_number = "a"\n', "office"),
        ('name = "x"\nsignature = ["a"\n', "not valid TOML"),
    ],
)
def test_a_broken_mapping_is_refused_naming_the_key(toml: str, complaint: str) -> None:
    with pytest.raises(MappingError, match=complaint):
        parse_mapping(toml, source="test.toml")


def test_shipped_mappings_load_and_the_readme_documents_every_field() -> None:
    readme = (MAPPINGS / "README.md").read_text(encoding="utf-8")
    names = sorted(path.stem for path in MAPPINGS.glob("*.toml"))

    assert names == ["cn-titles", "incopat-example", "lens"]
    for name in names:
        assert load_mapping(name).name == name
        assert f"`{name}.toml`" in readme
    for field in FIELD_KINDS:
        assert f"`{field}`" in readme, field
