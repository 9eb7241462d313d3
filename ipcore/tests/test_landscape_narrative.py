"""The generated findings of a landscape report: what each metric result is said to show."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from ipcore.landscape.narrative import (
    Finding,
    Kind,
    findings,
    generated_note,
    is_share_name,
    row_label,
)
from ipcore.landscape.results import Column, ColumnKind, MetricResult, Report, Shape, Value

AS_OF = dt.date(2024, 6, 30)
GENERATED = dt.datetime(2024, 7, 1, 2, 30, tzinfo=dt.UTC)

INT, NUM, SHARE, TEXT, YEAR = (
    ColumnKind.INTEGER,
    ColumnKind.NUMBER,
    ColumnKind.SHARE,
    ColumnKind.TEXT,
    ColumnKind.YEAR,
)


def column(name: str, kind: ColumnKind) -> Column:
    return Column(name, f"{name}（中）", name.replace("_", " ").capitalize(), kind)


def result(
    name: str,
    shape: Shape,
    columns: list[tuple[str, ColumnKind]],
    rows: list[tuple[Value, ...]],
    **kwargs: object,
) -> MetricResult:
    return MetricResult(
        name=name,
        title_zh=f"{name}标题",
        title_en=name.replace("_", " ").capitalize(),
        shape=shape,
        columns=tuple(column(n, k) for n, k in columns),
        rows=tuple(rows),
        **kwargs,  # type: ignore[arg-type]
    )


def report(*results: MetricResult, size: int = 812) -> Report:
    return Report(
        title="浦东新区锂离子电池产业专利导航",
        query="TI=(锂离子电池 OR 锂电池) AND AD=[2013 TO 2024]",
        size=size,
        as_of=AS_OF,
        generated_at=GENERATED,
        backend="duckdb",
        results=results,
    )


def texts(found: list[Finding], metric: str) -> list[str]:
    return [finding.text for finding in found if finding.metric == metric]


TREND_ROWS: list[tuple[Value, ...]] = [
    (2013, 40, 12, 5),
    (2014, 52, 40, 10),
    (2015, 60, 50, 21),
    (2016, 75, 61, 30),
    (2017, 88, 70, 35),
    (2018, 96, 90, 40),
    (2019, 104, 100, 48),
    (2020, 110, 101, 52),
    (2021, 98, 105, 50),
    (2022, 85, 92, 44),
    (2023, 41, 60, 20),
    (2024, 6, 20, 3),
]
TREND_COLUMNS = [("year", YEAR), ("applications", INT), ("publications", INT), ("grants", INT)]


def filing_trend(rows: list[tuple[Value, ...]] = TREND_ROWS) -> MetricResult:
    return result("filing_trend", Shape.SERIES, TREND_COLUMNS, rows)


def top_owners() -> MetricResult:
    return result(
        "top_owners",
        Shape.RANKING,
        [("name", TEXT), ("patents", INT), ("share", SHARE), ("country", TEXT)],
        [
            ("宁德时代新能源科技股份有限公司", 120, 0.1478, "CN"),
            ("比亚迪股份有限公司", 86, 0.1059, "CN"),
            ("上海汽车集团股份有限公司", 40, 0.0493, "CN"),
            ("中国科学院上海硅酸盐研究所", 31, 0.0382, "CN"),
            ("上海交通大学", 25, 0.0308, "CN"),
        ],
    )


def concentration(owners: float = 412, hhi: float = 612.4) -> MetricResult:
    return result(
        "concentration",
        Shape.SCALARS,
        [("name", TEXT), ("value", NUM)],
        [("owners", owners), ("cr4", 0.342), ("cr8", 0.451), ("hhi", hhi)],
    )


def classification_mix() -> MetricResult:
    return result(
        "classification_mix_subclass",
        Shape.RANKING,
        [
            ("code", TEXT),
            ("title_zh", TEXT),
            ("title_en", TEXT),
            ("patents", INT),
            ("share", SHARE),
        ],
        [
            ("H01M", "电池", "Batteries", 333, 0.41),
            ("H01G", "电容器", "Capacitors", 80, 0.0985),
            ("H02J", "供电或配电的电路装置", "Power supply circuits", 61, 0.0751),
            ("B60L", "电动车辆的电力装备", "Electric vehicle propulsion", 40, 0.0493),
        ],
    )


def technology_fields() -> MetricResult:
    return result(
        "technology_fields",
        Shape.RANKING,
        [("field", INT), ("name_zh", TEXT), ("name_en", TEXT), ("patents", INT), ("share", SHARE)],
        [
            (1, "电气机械、设备和能源", "Electrical machinery, apparatus, energy", 520, 0.64),
            (19, "基础材料化学", "Basic materials chemistry", 150, 0.1847),
            (28, "材料、冶金", "Materials, metallurgy", 90, 0.1108),
        ],
    )


def geography_office() -> MetricResult:
    return result(
        "geography_office",
        Shape.DISTRIBUTION,
        [("office", TEXT), ("patents", INT), ("share", SHARE)],
        [("US", 50, 0.0616), ("CN", 720, 0.8867), ("EP", 27, 0.0333), ("WO", 15, 0.0185)],
    )


def legal_status() -> MetricResult:
    return result(
        "legal_status",
        Shape.DISTRIBUTION,
        [("status", TEXT), ("patents", INT), ("share", SHARE)],
        [
            ("in_force", 320, 0.3941),
            ("pending", 250, 0.3079),
            ("lapsed", 120, 0.1478),
            ("expired", 12, 0.0148),
            ("withdrawn", 70, 0.0862),
            ("rejected", 30, 0.0369),
            (None, 10, 0.0123),
        ],
    )


def newcomers() -> MetricResult:
    return result(
        "newcomers",
        Shape.SERIES,
        [("year", YEAR), ("newcomers", INT), ("active_owners", INT)],
        [
            (2016, 30, 30),
            (2017, 22, 41),
            (2018, 25, 50),
            (2019, 28, 61),
            (2020, 31, 70),
            (2021, 26, 66),
            (2022, 21, 60),
            (2023, 9, 30),
        ],
    )


# --- the full report ------------------------------------------------------------------------


def test_a_full_report_in_chinese_states_each_metric() -> None:
    found = findings(
        report(
            filing_trend(),
            top_owners(),
            concentration(),
            classification_mix(),
            technology_fields(),
            geography_office(),
            legal_status(),
            newcomers(),
        ),
        "zh-hans",
    )
    assert found[0] == Finding("", "本报告分析了812件专利，法律状态截至2024-06-30。")
    assert texts(found, "filing_trend") == [
        "2013\u20132024年共有855件申请，2020年申请量最多（110件）。",
        "申请量在2013\u20132020年间增长了175%（由40件增至110件），2021年起回落，"
        "2022年较峰值下降22.7%。",
        "授权量合计358件，相当于申请量的41.9%。",
        "2023\u20132024年的数据因公开滞后可能不完整（发明专利申请一般自申请日起18个月公开），"
        "近期申请量可能被低估。",
    ]
    assert texts(found, "top_owners") == [
        "最主要的申请人是宁德时代新能源科技股份有限公司（120件，占14.8%），其后依次为"
        "比亚迪股份有限公司、上海汽车集团股份有限公司、中国科学院上海硅酸盐研究所。"
    ]
    assert texts(found, "concentration") == [
        "共有412位申请人，前4位合计占34.2%（CR4），前8位合计占45.1%（CR8），"
        "HHI为612，属于竞争型市场。"
    ]
    assert texts(found, "classification_mix_subclass") == [
        "H01M（电池）是最主要的IPC小类，占41%（333件），其次为H01G、H02J、B60L。"
    ]
    assert texts(found, "technology_fields") == [
        "按WIPO技术领域划分，最主要的领域是电气机械、设备和能源（520件，占64%），"
        "其次为基础材料化学（150件）、材料、冶金（90件）。"
    ]
    assert texts(found, "geography_office") == [
        "按公开局统计，中国（CN）的专利最多（720件，占88.7%），其次为美国（US）、"
        "欧洲专利局（EP）、世界知识产权组织（WO）。"
    ]
    assert texts(found, "legal_status") == [
        "截至2024-06-30，有效专利320件（占39.4%），审中250件（占30.8%），"
        "已失效232件（占28.6%），法律状态未知10件（占1.2%）。"
    ]
    assert texts(found, "newcomers") == [
        "2018\u20132022年共有131位新申请人进入该领域，2022年新进入者占当年活跃申请人的35%。"
    ]
    kinds = {finding.kind for finding in found}
    assert kinds == {Kind.FINDING, Kind.CAVEAT}


def test_a_full_report_in_english_reads_as_english() -> None:
    found = findings(
        report(
            filing_trend(),
            top_owners(),
            concentration(),
            classification_mix(),
            technology_fields(),
            legal_status(),
        ),
        "en",
    )
    assert found[0].text == "This report analyses 812 patents; legal status is as of 2024-06-30."
    assert texts(found, "filing_trend")[:2] == [
        "The 855 applications were filed between 2013 and 2024; the busiest year was 2020, "
        "with 110.",
        "Annual filings grew by 175% from 2013 to 2020 (40 to 110), then fell back from 2021; "
        "2022 was 22.7% below the peak.",
    ]
    assert texts(found, "top_owners") == [
        "The leading applicant is 宁德时代新能源科技股份有限公司 with 120 patents (14.8%), "
        "followed by 比亚迪股份有限公司, 上海汽车集团股份有限公司 and 中国科学院上海硅酸盐研究所."
    ]
    assert texts(found, "concentration") == [
        "There are 412 applicants; the top four hold 34.2% (CR4); the top eight hold 45.1% "
        "(CR8); the HHI of 612 marks a competitive, unconcentrated field."
    ]
    assert texts(found, "classification_mix_subclass") == [
        "H01M (Batteries) is the leading IPC subclass, in 41% of the patents (333), "
        "followed by H01G, H02J and B60L."
    ]
    assert texts(found, "technology_fields") == [
        "Among WIPO technology fields, the largest is Electrical machinery, apparatus, energy "
        "(520 patents, 64%), followed by Basic materials chemistry (150) and Materials, "
        "metallurgy (90)."
    ]
    assert texts(found, "legal_status") == [
        "As of 2024-06-30, 320 (39.4%) are in force, 250 (30.8%) are pending, 232 (28.6%) "
        "have ended and 10 (1.2%) have no known status."
    ]
    assert texts(found, "filing_trend")[-1] == (
        "Figures for 2023\u20132024 are probably incomplete: invention applications are "
        "published about 18 months after filing, so recent filings are undercounted."
    )
    # Only the owners' own names are in Chinese.
    for finding in found:
        if finding.metric != "top_owners":
            assert not re.search(r"[\u4e00-\u9fff]", finding.text), finding.text


def test_generated_note_in_both_languages() -> None:
    assert "自动生成" in generated_note("zh-hans")
    assert "generated from the metrics" in generated_note("en")


# --- the filing trend's shapes ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "zh"),
    [
        (
            [10, 20, 30, 40],
            "2018\u20132021年申请量由10件增至40件，增长了300%（年均增长58.7%）。",
        ),
        ([40, 30, 20, 10], "2018\u20132021年申请量下降了75%（由40件降至10件）。"),
        ([40, 39, 40, 38], "2018\u20132021年申请量基本持平（40件至38件）。"),
        (
            [10, 40, 39, 38],
            "申请量在2018\u20132019年间增长了300%（由10件增至40件），此后保持在相近水平。",
        ),
    ],
)
def test_the_trend_is_described_over_complete_years(counts: list[int], zh: str) -> None:
    rows: list[tuple[Value, ...]] = [
        (2018 + offset, count, count, 0) for offset, count in enumerate(counts)
    ]
    found = findings(report(filing_trend(rows)), "zh")
    assert texts(found, "filing_trend")[1] == zh
    # 2021 is complete on 2024-06-30: no lag caveat, and no grants sentence for 0 grants.
    assert len(texts(found, "filing_trend")) == 2


def test_a_single_year_of_filings_is_stated_without_a_trend() -> None:
    found = findings(report(filing_trend([(2024, 1, 0, 0)]), size=1), "zh")
    assert texts(found, "filing_trend") == [
        "全部1件申请均提交于2024年。",
        "2024年的数据因公开滞后可能不完整（发明专利申请一般自申请日起18个月公开），"
        "近期申请量可能被低估。",
    ]
    english = findings(report(filing_trend([(2024, 1, 0, 0)]), size=1), "en")
    assert texts(english, "filing_trend")[0] == "The only application was filed in 2024."


def test_gaps_in_the_years_count_as_years_without_filings() -> None:
    rows: list[tuple[Value, ...]] = [(2016, 20, 0, 0), (2019, 5, 0, 0), (2020, 4, 0, 0)]
    found = findings(report(filing_trend(rows)), "en")
    assert texts(found, "filing_trend")[1] == (
        "Annual filings fell by 80% between 2016 and 2020, from 20 to 4."
    )


def test_a_metric_may_say_where_incomplete_years_start() -> None:
    trend = result(
        "filing_trend",
        Shape.SERIES,
        TREND_COLUMNS,
        [(2019, 5, 0, 0), (2020, 8, 0, 0), (2021, 9, 0, 0), (2022, 10, 0, 0)],
        extras={"incomplete_from": 2022},
    )
    found = texts(findings(report(trend), "zh"), "filing_trend")
    assert found[1].startswith("2019\u20132021年申请量由5件增至9件")
    assert found[2].startswith("2022年的数据因公开滞后可能不完整")


def test_a_source_that_ends_early_is_not_read_as_a_fall_in_filing() -> None:
    # PatentsView's file ends in 2022; read against a later report date its last years look
    # like a collapse. The metric says where the data stops, and the caveat says why.
    trend = result(
        "filing_trend",
        Shape.SERIES,
        TREND_COLUMNS,
        [
            (2017, 50, 40, 0),
            (2018, 60, 50, 0),
            (2019, 70, 60, 0),
            (2020, 30, 70, 0),
            (2021, 1, 65, 0),
        ],
        extras={"incomplete_from": 2020, "last_publication_year": 2021},
    )
    zh = texts(findings(report(trend), "zh"), "filing_trend")
    en = texts(findings(report(trend), "en"), "filing_trend")
    assert zh[1].startswith("2017\u20132019年申请量由50件增至70件")
    assert zh[-1].startswith("数据集中最晚的公开在2021年，2020\u20132021年的申请因公开滞后")
    assert en[-1].startswith("The latest publication in the dataset is from 2021")
    assert not any("fell" in text for text in en)


# --- owners and concentration edge cases -----------------------------------------------------


def test_one_owner_holds_everything() -> None:
    owners = result(
        "top_owners",
        Shape.RANKING,
        [("name", TEXT), ("patents", INT), ("share", SHARE)],
        [("上海华力微电子有限公司", 1, 1.0)],
    )
    found = findings(report(owners, concentration(owners=1, hhi=10000), size=1), "zh")
    assert texts(found, "top_owners") == [
        "全部专利均属于同一申请人：上海华力微电子有限公司（1件）。"
    ]
    assert texts(found, "concentration") == ["仅有1位申请人，集中度最高（HHI为10,000）。"]
    assert found[1] == Finding("", "样本仅1件，以下比例和排名不具统计意义，仅供参考。", Kind.CAVEAT)


def test_owners_sharing_the_lead_are_named_together() -> None:
    owners = result(
        "top_owners",
        Shape.RANKING,
        [("name", TEXT), ("patents", INT)],
        [("复旦大学", 9), ("同济大学", 9), ("华东师范大学", 4)],
    )
    assert texts(findings(report(owners), "zh"), "top_owners") == [
        "复旦大学、同济大学并列第一（各9件），其后依次为华东师范大学。"
    ]
    assert texts(findings(report(owners), "en"), "top_owners") == [
        "复旦大学 and 同济大学 share the lead with 9 patents each, followed by 华东师范大学."
    ]


@pytest.mark.parametrize(
    ("hhi", "zh", "en"),
    [
        (999, "竞争型市场", "competitive"),
        (1000, "中度集中市场", "moderately concentrated"),
        (1800, "中度集中市场", "moderately concentrated"),
        (2600, "高度集中市场", "highly concentrated"),
    ],
)
def test_hhi_thresholds(hhi: float, zh: str, en: str) -> None:
    assert zh in texts(findings(report(concentration(hhi=hhi)), "zh"), "concentration")[0]
    assert en in texts(findings(report(concentration(hhi=hhi)), "en"), "concentration")[0]


def test_crn_is_left_out_where_there_are_no_more_owners_than_n() -> None:
    found = texts(findings(report(concentration(owners=3, hhi=3400)), "zh"), "concentration")
    assert found == ["共有3位申请人，HHI为3,400，属于高度集中市场。"]


# --- absent columns, absent metrics, not applicable ------------------------------------------


def test_a_metric_without_a_needed_column_says_nothing() -> None:
    trend = result("filing_trend", Shape.SERIES, [("year", YEAR), ("filings", INT)], [(2020, 3)])
    owners = result("top_owners", Shape.RANKING, [("owner", TEXT), ("patents", INT)], [("甲", 1)])
    mix = result("classification_mix_subclass", Shape.RANKING, [("code", TEXT)], [("H01M",)])
    found = findings(report(trend, owners, mix), "zh")
    assert [finding.metric for finding in found] == [""]


def test_a_report_with_no_metrics_states_only_the_dataset() -> None:
    assert findings(report(size=500), "en") == [
        Finding("", "This report analyses 500 patents; legal status is as of 2024-06-30.")
    ]


def test_an_unknown_metric_or_one_with_no_rows_adds_nothing() -> None:
    unknown = result("citations_by_year", Shape.SERIES, [("year", YEAR), ("cited_by", INT)], [])
    empty_owners = result("top_owners", Shape.RANKING, [("name", TEXT), ("patents", INT)], [])
    assert len(findings(report(unknown, empty_owners), "zh")) == 1


def test_a_metric_the_data_cannot_answer_is_stated_with_its_note() -> None:
    citations = result(
        "citations",
        Shape.RANKING,
        [("number", TEXT), ("cited_by", INT)],
        [],
        applicable=False,
        note_zh="数据源未提供引用信息。",
        note_en="The source has no citation data.",
    )
    silent = result("newcomers", Shape.SERIES, [("year", YEAR)], [], applicable=False)
    zh = findings(report(citations, silent), "zh")
    assert zh[-1] == Finding(
        "citations", "citations标题：数据源未提供引用信息。", Kind.NOT_APPLICABLE
    )
    assert texts(zh, "newcomers") == []
    en = findings(report(citations, silent), "en")
    assert en[-1].text == "Citations: The source has no citation data."


def test_an_empty_dataset_says_so_and_nothing_else() -> None:
    not_applicable = result(
        "filing_trend",
        Shape.SERIES,
        TREND_COLUMNS,
        [],
        applicable=False,
        note_zh="没有申请日。",
        note_en="No filing dates.",
    )
    assert findings(report(not_applicable, size=0), "zh") == [
        Finding("", "数据集中没有专利，无法得出结论。", Kind.CAVEAT)
    ]
    assert findings(report(size=0), "en")[0].text.startswith("The dataset holds no patents")


# --- the other metrics' shapes ----------------------------------------------------------------


def test_one_office_and_an_unlisted_office() -> None:
    only_cn = result(
        "geography_office", Shape.DISTRIBUTION, [("office", TEXT), ("patents", INT)], [("CN", 30)]
    )
    assert texts(findings(report(only_cn), "en"), "geography_office") == [
        "Every patent was published by one office: China (CN) (30)."
    ]
    two = result(
        "geography_office",
        Shape.DISTRIBUTION,
        [("bucket", TEXT), ("patents", INT)],
        [("CN", 30), ("SG", 10)],
    )
    assert texts(findings(report(two), "zh"), "geography_office") == [
        "按公开局统计，中国（CN）的专利最多（30件，占75%），其次为SG。"
    ]


def test_legal_status_buckets_it_does_not_know_fall_back_to_the_largest() -> None:
    status = result(
        "legal_status",
        Shape.DISTRIBUTION,
        [("bucket", TEXT), ("label_zh", TEXT), ("label_en", TEXT), ("patents", INT)],
        [("alive", "存活", "alive", 30), ("dead", "死亡", "dead", 10)],
    )
    assert texts(findings(report(status), "zh"), "legal_status") == [
        "legal_status标题中，存活最多（30件，占75%）。"
    ]


def test_remaining_life_as_a_median_or_as_buckets() -> None:
    scalars = result(
        "remaining_life",
        Shape.SCALARS,
        [("name", TEXT), ("value", NUM)],
        [("median_years", 11.46), ("patents", 320)],
    )
    assert texts(findings(report(scalars), "zh"), "remaining_life") == [
        "有效专利的剩余保护期中位数为11.5年。"
    ]
    buckets = result(
        "remaining_life",
        Shape.DISTRIBUTION,
        [("bucket", TEXT), ("patents", INT), ("share", SHARE)],
        [("0\u20135", 40, 0.125), ("5\u201310", 160, 0.5), ("10\u201320", 120, 0.375)],
    )
    assert texts(findings(report(buckets), "en"), "remaining_life") == [
        "The most common is 5\u201310 years left (160 patents, 50%)."
    ]
    assert texts(findings(report(buckets), "zh"), "remaining_life") == [
        "剩余5\u201310年的最多（160件，占50%）。"
    ]


def test_remaining_life_as_the_metric_gives_it() -> None:
    life = result(
        "remaining_life",
        Shape.DISTRIBUTION,
        [
            ("bucket", TEXT),
            ("patents", INT),
            ("share", SHARE),
            ("label_zh", TEXT),
            ("label_en", TEXT),
        ],
        [
            ("0-2", 30, 0.0938, "0-2 年", "0-2 years"),
            ("3-5", 70, 0.2188, "3-5 年", "3-5 years"),
            ("6-10", 130, 0.4063, "6-10 年", "6-10 years"),
            ("11-15", 60, 0.1875, "11-15 年", "11-15 years"),
            ("16-20", 30, 0.0938, "16-20 年", "16-20 years"),
        ],
        extras={"median_years": 7.0, "counted": 320},
    )
    assert texts(findings(report(life), "zh"), "remaining_life") == [
        "有效专利的剩余保护期中位数为7.0年，剩余6-10 年的最多（130件，占40.6%）。"
    ]
    assert texts(findings(report(life), "en"), "remaining_life") == [
        "Patents in force have a median of 7.0 years of term left; the most common is "
        "6-10 years left (130 patents, 40.6%)."
    ]


def test_newcomers_need_more_than_the_first_year() -> None:
    one_year = result("newcomers", Shape.SERIES, [("year", YEAR), ("newcomers", INT)], [(2020, 12)])
    assert texts(findings(report(one_year), "zh"), "newcomers") == []
    two_years = result(
        "newcomers", Shape.SERIES, [("year", YEAR), ("newcomers", INT)], [(2020, 12), (2021, 5)]
    )
    assert texts(findings(report(two_years), "en"), "newcomers") == [
        "5 new applicants entered the field in 2021."
    ]


def test_newcomers_over_the_metrics_own_recent_window() -> None:
    rows = newcomers().rows
    windowed = result(
        "newcomers",
        Shape.SERIES,
        [("year", YEAR), ("newcomers", INT), ("active_owners", INT)],
        list(rows),
        extras={"recent_newcomers": 115, "recent_span": (2019, 2023)},
    )
    assert texts(findings(report(windowed), "zh"), "newcomers") == [
        "2019\u20132023年共有115位新申请人进入该领域，2023年新进入者占当年活跃申请人的30%。"
    ]


def test_white_space_as_a_matrix_counts_empty_combinations() -> None:
    matrix = result(
        "white_space",
        Shape.MATRIX,
        [("field", TEXT), ("year", TEXT), ("patents", INT)],
        [("正极材料", "2021", 4), ("正极材料", "2022", 0), ("电解质", "2021", 3)],
    )
    assert texts(findings(report(matrix), "zh"), "white_space") == [
        "按field（中）与year（中）交叉的4个组合中，有2个没有专利，可能是技术空白点。"
    ]


def test_white_space_as_a_list_names_examples() -> None:
    listed = result(
        "white_space",
        Shape.RANKING,
        [("code", TEXT), ("title_zh", TEXT), ("title_en", TEXT), ("patents", INT)],
        [("H01M 10/0565", "固态电解质", "Solid electrolytes", 0)],
    )
    assert texts(findings(report(listed), "en"), "white_space") == [
        "The metric lists 1 possible white space, such as H01M 10/0565 Solid electrolytes."
    ]


def test_white_space_as_fields_with_many_patents_and_few_owners() -> None:
    fields = result(
        "white_space",
        Shape.RANKING,
        [
            ("field", INT),
            ("patents_per_owner", NUM),
            ("patents", INT),
            ("owners", INT),
            ("name_zh", TEXT),
            ("name_en", TEXT),
        ],
        [
            (24, 6.5, 13, 2, "环境技术", "Environmental technology"),
            (19, 4.25, 17, 4, "基础材料化学", "Basic materials chemistry"),
        ],
    )
    assert texts(findings(report(fields), "zh"), "white_space") == [
        "专利多而申请人少、可能存在技术空白的领域依次为环境技术（平均每位申请人6.5件）、"
        "基础材料化学（平均每位申请人4.2件）。"
    ]
    assert texts(findings(report(fields), "en"), "white_space") == [
        "Fields with many patents but few owners, candidates for white space: Environmental "
        "technology (6.5 patents per owner) and Basic materials chemistry (4.2 patents per "
        "owner)."
    ]


# --- labels -----------------------------------------------------------------------------------


def test_row_labels() -> None:
    status = legal_status()
    records = status.records()
    assert row_label(status, records[0], "zh") == "有效"
    assert row_label(status, records[0], "en") == "in force"
    assert row_label(status, records[-1], "zh") == "未知"
    fields = technology_fields()
    assert row_label(fields, fields.records()[0], "en") == (
        "Electrical machinery, apparatus, energy"
    )
    mix = classification_mix()
    assert row_label(mix, mix.records()[0], "zh") == "H01M 电池"
    owners = top_owners()
    assert row_label(owners, owners.records()[1], "en") == "比亚迪股份有限公司"


def test_share_names() -> None:
    assert is_share_name("cr4")
    assert is_share_name("invention_share")
    assert not is_share_name("hhi")
    assert not is_share_name("owners")


def test_industries_and_key_fields_are_stated_by_name() -> None:
    columns = [("code", TEXT), ("patents", INT), ("share", SHARE), ("name_zh", TEXT)]
    sei = result(
        "sei_industries",
        Shape.RANKING,
        [*columns, ("name_en", TEXT)],
        [
            ("5", 300, 0.3695, "新能源汽车产业", "New-energy vehicles"),
            ("1", 120, 0.1478, "新一代信息技术产业", "New-generation information technology"),
        ],
    )
    key = result(
        "key_fields",
        Shape.RANKING,
        [*columns, ("name_en", TEXT)],
        [("ai", 40, 0.0493, "人工智能", "Artificial intelligence")],
    )

    zh = findings(report(sei, key), "zh-hans")
    en = findings(report(sei, key), "en")

    assert texts(zh, "sei_industries") == [
        "按战略性新兴产业（国家知识产权局2021年参照关系表）划分，最主要的产业是新能源汽车产业"
        "（300件，占37%），其次为新一代信息技术产业（120件）。"
    ]
    assert texts(en, "key_fields") == [
        "Among the plan's key fields, the largest is Artificial intelligence (40 patents, 4.9%)."
    ]
