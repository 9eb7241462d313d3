"""`ingest_file` and `ipops ingest` on real data: counts, idempotence, resume after a kill,
failures that keep what was committed, rejects files, audit entries."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ipops.audit.models import AuditEntry
from ipops.corpus.models import IngestRun, Patent, SearchOutbox
from ipops.corpus.services import ingest_file

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
PV_SAMPLE = ROOT / "demo" / "corpus" / "pv-patents-us-sample.parquet"
LENS_SAMPLE = ROOT / "demo" / "corpus" / "lens-drones-sample.csv.gz"


def ingest(path: Path, tmp_path: Path, **options):  # type: ignore[no-untyped-def]
    return ingest_file(actor=None, path=path, rejects_dir=tmp_path, **options)


def test_a_real_parquet_file_is_imported_once(tmp_path: Path) -> None:
    first = ingest(PV_SAMPLE, tmp_path, format_name="patentsview")
    assert (first.read, first.inserted, first.rejected) == (2000, 2000, 0)
    assert Patent.objects.filter(office="US").count() == 2000
    assert SearchOutbox.objects.count() == 2000
    again = ingest(PV_SAMPLE, tmp_path, format_name="patentsview")
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2000)
    assert SearchOutbox.objects.count() == 2000


def test_the_format_is_guessed_when_not_named(tmp_path: Path) -> None:
    summary = ingest(PV_SAMPLE, tmp_path)
    assert summary.format == "patentsview"


def test_every_batch_is_audited_with_its_counts(tmp_path: Path) -> None:
    ingest(PV_SAMPLE, tmp_path, format_name="patentsview", batch_size=500)
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    corpus = [a for a in actions if a.startswith("corpus.ingest")]
    assert corpus[0] == "corpus.ingest_started"
    assert corpus.count("corpus.ingest_batch") == 4
    assert corpus[-1] == "corpus.ingest_finished"
    batch = AuditEntry.objects.filter(action="corpus.ingest_batch").earliest("id")
    assert batch.new_values["inserted"] == 500


class Killed(BaseException):
    """Stands for SIGKILL/Ctrl-C arriving between two batches."""


def test_an_interrupted_import_resumes_after_its_last_committed_batch(tmp_path: Path) -> None:
    def kill_after_first_batch(run: IngestRun) -> None:
        raise Killed

    with pytest.raises(Killed):
        ingest(
            PV_SAMPLE,
            tmp_path,
            format_name="patentsview",
            batch_size=500,
            progress=kill_after_first_batch,
        )
    run = IngestRun.objects.get()
    assert (run.status, run.checkpoint, run.inserted) == ("interrupted", 500, 500)
    assert Patent.objects.count() == 500
    resumed = ingest(PV_SAMPLE, tmp_path, format_name="patentsview", batch_size=500)
    assert resumed.resumed_from == 500
    assert resumed.inserted == 2000
    assert Patent.objects.count() == 2000
    assert IngestRun.objects.count() == 1


def test_a_truncated_file_fails_cleanly_and_keeps_nothing_half_written(tmp_path: Path) -> None:
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(PV_SAMPLE.read_bytes()[:50_000])
    summary = ingest(broken, tmp_path, format_name="patentsview")
    assert summary.status == "failed"
    assert "broken.parquet" in summary.message
    assert Patent.objects.count() == 0


def test_bad_rows_go_to_the_rejects_file_and_the_rest_is_kept(tmp_path: Path) -> None:
    with gzip.open(LENS_SAMPLE, "rt", encoding="utf-8") as handle:
        lines = handle.read().splitlines(keepends=True)
    header, first, second = lines[0], lines[1], lines[2]
    parts = second.split(",")
    parts[5] = "2021-02-30"  # Publication Date
    bad = tmp_path / "lens-bad.csv"
    bad.write_text(header + first + ",".join(parts), encoding="utf-8")
    summary = ingest(bad, tmp_path, format_name="lens")
    assert (summary.inserted, summary.rejected) == (1, 1)
    rejects = Path(summary.rejects_path).read_text(encoding="utf-8").splitlines()
    assert rejects[0] == "file,record,field,reason"
    assert "2021-02-30" in rejects[1]


def test_the_command_prints_a_json_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("ingest", str(PV_SAMPLE), "--json", "--rejects-dir", str(tmp_path))
    (summary,) = json.loads(capsys.readouterr().out)
    assert summary["inserted"] == 2000
    assert summary["status"] == "finished"


def test_the_command_refuses_an_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="unknown format"):
        call_command("ingest", str(PV_SAMPLE), "--format", "nope", "--rejects-dir", str(tmp_path))


def test_the_command_names_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        call_command("ingest", str(tmp_path / "missing.csv"))


def test_a_copy_of_the_same_file_is_recognised_by_content(tmp_path: Path) -> None:
    ingest(PV_SAMPLE, tmp_path, format_name="patentsview")
    copy = tmp_path / "copy.parquet"
    shutil.copy(PV_SAMPLE, copy)
    summary = ingest(copy, tmp_path, format_name="patentsview")
    assert summary.unchanged == 2000
