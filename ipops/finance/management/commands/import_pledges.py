"""`ipops import-pledges FILE` — load pledges CNIPA registered (a bank's book, extracts of the
pledge register) from a CSV or XLSX file into the register, all or nothing.

The command acts as the platform (an operator's tool, like `ipops portfolio`): it may import
any bank's pledges; --pledgee names the bank of records that name none. Exit 1 with every
problem (row and column) when the file is refused; nothing is written then.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from ipcore.market.money import in_wan
from ipops.accounts.commandline import organization_from
from ipops.errors import ServiceError
from ipops.finance import services


class Command(BaseCommand):
    help = (
        "Import pledges CNIPA registered from a CSV or XLSX file: one record a row under a "
        "header in Chinese or English (质押登记号/registration_number, "
        "出质人统一社会信用代码/pledgor_uscc, 专利号/patents, 债权数额（万元）/amount_wan or "
        "金额（元）/amount_yuan, 债务起始日, 债务到期日, 登记日; optionally the pledgee, "
        "状态, 变更日, 注销日, 债权种类, 担保范围; see the finance README). All or nothing: "
        "any problem refuses the file, listed with its row and column (exit 1). Records "
        "already in the register as given are skipped. --dry-run checks and writes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="a CSV (UTF-8 or GBK) or XLSX file")
        parser.add_argument(
            "--pledgee", help="the bank (credit code or id) of records that name no pledgee"
        )
        parser.add_argument("--dry-run", action="store_true", help="check only; write nothing")
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument("--lang", choices=["zh", "en"], default="zh")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        language = "zh-hans" if options["lang"] == "zh" else "en"
        with translation.override(language):
            pledgee = organization_from(options["pledgee"]) if options["pledgee"] else None
            try:
                done = services.import_pledges(
                    actor=None,
                    file_name=path.name,
                    content=path.read_bytes(),
                    pledgee=pledgee,
                    dry_run=options["dry_run"],
                )
            except services.PledgeImportRefused as refused:
                self._refused(refused, language, as_json=options["json"])
            except ServiceError as error:
                raise CommandError(str(error.message)) from error
            body = done.summary(language)
        if options["json"]:
            self.stdout.write(json.dumps(body, ensure_ascii=False, indent=2, default=str))
        else:
            self.stdout.write(_text(body))

    def _refused(
        self, refused: services.PledgeImportRefused, language: str, *, as_json: bool
    ) -> None:
        if as_json:
            body = {"problems": refused.details["problems"], "count": len(refused.problems)}
            self.stdout.write(json.dumps(body, ensure_ascii=False, indent=2))
        else:
            for line in refused.details["file"]:
                self.stderr.write(line)
        raise CommandError(str(refused.message))



def _text(body: dict[str, Any]) -> str:
    verb = "would create" if body["dry_run"] else "created"
    lines = [
        f"{body['file']}: {verb} {len(body['created'])}, skipped {len(body['skipped'])} "
        f"(already in the register), {len(body['warnings'])} warning(s)"
    ]
    if body["created"]:
        lines.append(
            f"{'row':>5}  {'number':<16}  {'amount':>12}  {'status':<10}  pledgor → pledgee"
        )
        for line in body["created"]:
            lines.append(
                f"{line['row']:>5}  {line['number']:<16}  {in_wan(line['amount']):>12}  "
                f"{line['status']:<10}  {line['pledgor']} → {line['pledgee']}"
            )
    lines.extend(f"warning: {warning}" for warning in body["warnings"])
    if body["dry_run"]:
        lines.append("dry run: nothing was written")
    return "\n".join(lines)
