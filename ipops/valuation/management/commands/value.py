"""`ipops value NUMBER` — a patent's value, every score explained, from the command line."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from ipops.corpus.models import Patent
from ipops.valuation import queries
from ipops.valuation.models import PatentValue
from ipops.valuation.numbers import patents_numbered


class Command(BaseCommand):
    help = (
        "Show the value of patents by number, in any common spelling: US 2015/0123456 A1, "
        "US20150123456A1, CN 114081026 A, ZL201810390462.7. Scores per purpose (legal, "
        "technical, economic, total) with their explanation, CNIPA's high-value verdict and "
        "every indicator. Exit status 1 when a number names no patent or one not scored yet."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("numbers", nargs="+", metavar="NUMBER")
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument("--lang", choices=["zh", "en"], default="zh", help="language")

    def handle(self, *args: Any, **options: Any) -> None:
        language = "zh-hans" if options["lang"] == "zh" else "en"
        found = patents_numbered(options["numbers"])
        reports: list[dict[str, Any]] = []
        problems: list[str] = []
        with translation.override(language):
            for number, ids in found.items():
                if not ids:
                    problems.append(f"{number}: no patent in the corpus has this number")
                for pk in ids:
                    stored = PatentValue.objects.filter(patent_id=pk).select_related("run").first()
                    patent = Patent.objects.get(pk=pk)
                    if stored is None:
                        problems.append(
                            f"{number}: {patent.display_number} is not scored yet "
                            "(`ipops rescore` scores the corpus)"
                        )
                        continue
                    body = queries.report_json(queries.report_of(stored))
                    body |= {"number": patent.display_number, "title": patent.title}
                    reports.append(body)
        if options["json"]:
            self.stdout.write(json.dumps(reports, ensure_ascii=False, indent=2))
        else:
            for body in reports:
                self.stdout.write(_describe(body, language))
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} of the numbers could not be valued")


def _describe(body: dict[str, Any], language: str) -> str:
    zh = language.startswith("zh")
    verdict = body["high_value"]["verdict"]
    if verdict is True:
        high = ("高价值发明专利：" if zh else "High-value: ") + "、".join(
            body["high_value"]["criteria_met"]
        )
    elif verdict is None:
        high = ("高价值：无法判断（未知：" if zh else "High-value: cannot tell (unknown: ") + (
            "、".join(body["high_value"]["criteria_unknown"]) + ("）" if zh else ")")
        )
    else:
        high = "高价值：否" if zh else "High-value: no"
    lines = [
        f"{body['number']}  {body['title']}",
        f"  {'评分日' if zh else 'scored'} {body['as_of']} · {'权重' if zh else 'weights'} "
        f"{body['weights_version']}",
        f"  {high}",
    ]
    for purpose in body["scores"].values():
        lines.append(f"  [{purpose['label']}]")
        lines.extend(f"    {sentence}" for sentence in purpose["explanation"])
    lines.append(f"  {'指标' if zh else 'indicators'}:")
    for indicator in body["indicators"]:
        if indicator["unknown_reason"]:
            shown = f"{'未知' if zh else 'unknown'} ({indicator['unknown_reason']})"
        else:
            shown = f"{indicator['value']} {indicator['unit']}".strip()
            if indicator["percentile"] is not None:
                shown += f"  P{indicator['percentile']:.0f} · {indicator['cohort']}"
        lines.append(f"    {indicator['label']}: {shown}")
    return "\n".join(lines) + "\n"
