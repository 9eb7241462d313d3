"""Cut the demo corpus from ../shared/data (run once by a developer; the output is committed).

    .venv/bin/python demo/build_demo_corpus.py

Deterministic: the same shared files give the same demo files. What is kept, and why, is in
demo/corpus/PROVENANCE.md.
"""

from __future__ import annotations

import csv
import gzip
import io
import random
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
OUT = ROOT / "demo" / "corpus"
PV_CHINA = 1200  # US patents with an inventor in China (Shanghai first)
PV_OTHERS = 800  # and a seeded random sample of the rest
LENS_ROWS = 2500  # every CN row of the Lens export plus the first rows of the rest
CN_TITLES = 1500
SEED = 20181115  # the plan's date, 浦府〔2018〕151号


def cut_patentsview() -> None:
    table = pq.read_table(SHARED / "pv-patents-us" / "pv-data.parquet")
    country = pc.fill_null(table["raw_country"], "")
    city = pc.utf8_lower(pc.fill_null(table["raw_city"], ""))
    in_shanghai = pc.match_substring(city, "shanghai")
    shanghai = set(pc.filter(table["patent_id"], in_shanghai).to_pylist())
    china = set(pc.filter(table["patent_id"], pc.equal(country, "CN")).to_pylist())
    chosen = sorted(shanghai) + sorted(china - shanghai)
    chosen = chosen[:PV_CHINA]
    rest = sorted(set(table["patent_id"].to_pylist()) - set(chosen))
    chosen += random.Random(SEED).sample(rest, PV_OTHERS)  # noqa: S311 — a sample, not a secret
    subset = table.filter(pc.is_in(table["patent_id"], value_set=pa.array(chosen)))
    pq.write_table(subset, OUT / "pv-patents-us-sample.parquet", compression="zstd")
    print(f"patentsview: {len(chosen)} patents, {subset.num_rows} mention rows")


def cut_lens() -> None:
    source = SHARED / "lens-export-drones" / "drones_fulltext_families_5884_raw.csv.gz"
    with gzip.open(source, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = list(reader)
    jurisdiction = header.index("Jurisdiction")
    cn = [row for row in rows if row[jurisdiction] == "CN"]
    others = [row for row in rows if row[jurisdiction] != "CN"][: LENS_ROWS - len(cn)]
    kept = sorted(cn + others, key=lambda row: int(row[0]))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(kept)
    with gzip.open(OUT / "lens-drones-sample.csv.gz", "wt", encoding="utf-8", newline="") as out:
        out.write(buffer.getvalue())
    print(f"lens: {len(kept)} rows ({len(cn)} CN)")


def cut_cn_titles() -> None:
    source = SHARED / "cn-patent-titles-ipc" / "cn_titles_ipc.csv.gz"
    with gzip.open(source, "rt", encoding="utf-8", newline="") as handle:
        lines = handle.readlines()
    kept = [lines[0], *random.Random(SEED).sample(lines[1:], CN_TITLES)]  # noqa: S311
    with gzip.open(OUT / "cn-titles-sample.csv.gz", "wt", encoding="utf-8", newline="") as out:
        out.writelines(kept)
    print(f"cn titles: {CN_TITLES} rows")


def main() -> int:
    if not SHARED.is_dir():
        print(f"{SHARED} not found: the demo corpus is cut from the shared data", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    cut_patentsview()
    cut_lens()
    cut_cn_titles()
    return 0


if __name__ == "__main__":
    sys.exit(main())
