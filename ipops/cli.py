"""The `ipops` command: one entry point for operators and scripts.

`ipops <subcommand>` runs a Django management command with the ipops settings, so every
app's commands are subcommands too. `ipops --help` lists the ones an operator needs.
Exit codes: 0 success, 1 the command failed (it says why), 2 wrong usage.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

OPERATOR_COMMANDS = (
    ("serve", "serve the platform over HTTP (gunicorn; --dev for the auto-reloading server)"),
    ("migrate", "create or upgrade the database schema"),
    ("createuser", "create an account in an organisation (or an operator superuser)"),
    ("createtoken", "issue an API token for an account, printed once"),
    ("loaddemo", "load demo organisations, accounts and the demo patent corpus (idempotent)"),
    ("ingest", "import patent files (Parquet, CSV/XLSX, CNIPA/USPTO/EPO XML), resumable"),
    ("quality", "data quality of the patent corpus"),
    ("resolve-names", "cluster organisation names in a CSV (mention_id,organization)"),
    ("resolve-entities", "re-cluster the corpus's applicant names into organisations"),
    ("search", "search the patents with the query language (--json for scripts)"),
    ("reindex", "rebuild the search index from the database (--pending: queued changes only)"),
    ("embed", "embed patents for semantic search (incremental)"),
    ("landscape", "landscape report of a search or dataset (--out .html/.xlsx/.json, --backend)"),
    ("snapshot", "write the analytic facts as Parquet for the duckdb and spark backends"),
    ("value", "a patent's value by its number, every score explained (--json)"),
    ("rescore", "score every patent of the corpus now (the worker does it after imports)"),
    ("portfolio", "portfolios and the cultivation programme: list, show, create, enrol …"),
    ("screen", "risk screening: in-force patents of an office closest to a description"),
    ("profile", "patent portfolio profile of an organisation (M&A evaluation)"),
    ("withdraw-lapsed", "withdraw market listings whose patents are no longer in force"),
    ("import-pledges", "import pledges CNIPA registered from CSV/XLSX, all or nothing"),
    ("db-worker", "run background tasks (search indexing); `serve` starts one for you"),
    ("check", "check settings, database, migrations, static files and services"),
    ("compilemessages", "compile the Chinese/English translations (pure Python)"),
    ("collectstatic", "gather static files, browser libraries included, for serving"),
)

USAGE = """usage: ipops <command> [options]

ipops — the Pudong IP operations service platform (浦东知识产权运营服务平台).

commands:
{commands}

`ipops <command> --help` explains a command; `ipops help --all` lists every command,
Django's own included.

environment: DATABASE_URL, IPOPS_DATA_DIR, IPOPS_SECRET_KEY, IPOPS_ALLOWED_HOSTS,
IPOPS_DEBUG, IPOPS_HTTPS, IPOPS_EMAIL_* (see the README's "Configuration").
"""


def usage() -> str:
    width = max(len(name) for name, _ in OPERATOR_COMMANDS)
    lines = [f"  {name.ljust(width)}  {text}" for name, text in OPERATOR_COMMANDS]
    return USAGE.format(commands="\n".join(lines))


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        sys.stderr.write(usage())
        return 2
    if args[0] in {"-h", "--help"} or args == ["help"]:
        sys.stdout.write(usage())
        return 0
    if args[:2] == ["help", "--all"]:
        args = ["help"]
    # Subcommands are spelled with hyphens (resolve-names); Django modules use underscores.
    args[0] = args[0].replace("-", "_")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipops.settings")
    from django.core.management import execute_from_command_line
    from django.db.utils import OperationalError

    from ipops.audit.context import new_request_id, request_id_scope

    if args[0] == "migrate":
        _make_data_dir()
    # Audit entries written by a command share one id, like those of one web request.
    with request_id_scope(f"cli-{new_request_id()[:24]}"):
        try:
            execute_from_command_line(["ipops", *args])
        except KeyboardInterrupt:
            return 130
        except OperationalError as error:
            if "unable to open database file" not in str(error):
                raise
            sys.stderr.write(_no_database_message())
            return 1
    return 0


def _make_data_dir() -> None:
    """`ipops migrate` on a fresh installation creates the data directory it writes into."""
    from django.conf import settings

    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)


def _no_database_message() -> str:
    from django.conf import settings

    data_dir = Path(settings.DATA_DIR)
    where = "does not exist" if not data_dir.exists() else "cannot be written or read"
    return (
        f"ipops: the SQLite database in {data_dir} {where}.\n"
        "Run `ipops migrate` to create it there, or point IPOPS_DATA_DIR (or DATABASE_URL) "
        "at an existing installation.\n"
    )


if __name__ == "__main__":
    sys.exit(main())
