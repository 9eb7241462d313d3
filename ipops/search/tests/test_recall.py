"""Chinese recall, measured as a test: for 2-, 3- and 4-character terms drawn from real CN
titles, the hit set equals exact substring truth (recall = precision = 1.0).

The committed demo sample (1,500 CNIPA titles) runs always; the whole shared file (7,798)
runs where ../shared/data is present.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from django.conf import settings

from ipcore.search.analysis import is_cjk, normalise_text
from ipops.corpus.models import PatentText
from ipops.corpus.services import ingest_file
from ipops.search import services
from ipops.search.engine import iterate_ids

pytestmark = pytest.mark.django_db

SAMPLE = Path(settings.BASE_DIR) / "demo" / "corpus" / "cn-titles-sample.csv.gz"
SHARED = (
    Path(settings.BASE_DIR).parent
    / "shared"
    / "data"
    / "cn-patent-titles-ipc"
    / "cn_titles_ipc.csv.gz"
)
TERMS_PER_LENGTH = 30


def _load(path: Path, tmp_path: Path) -> dict[int, str]:
    summary = ingest_file(actor=None, path=path, format_name="cn-titles", rejects_dir=tmp_path)
    assert summary.inserted > 0
    services.apply_pending_changes()
    titles: dict[int, str] = {}
    for pk, text in PatentText.objects.filter(field="title").values_list("patent_id", "text"):
        titles[pk] = titles.get(pk, "") + "\n" + normalise_text(text)
    return titles


def _terms(titles: dict[int, str], seed: int) -> list[str]:
    rng = random.Random(seed)
    texts = sorted(titles.values())
    terms: list[str] = []
    for length in (2, 3, 4):
        found = 0
        while found < TERMS_PER_LENGTH:
            text = rng.choice(texts)
            start = rng.randrange(max(1, len(text) - length))
            term = text[start : start + length]
            if len(term) == length and all(is_cjk(ch) for ch in term):
                terms.append(term)
                found += 1
    return terms


def _check_exact(titles: dict[int, str], terms: list[str]) -> None:
    for term in terms:
        truth = {pk for pk, text in titles.items() if term in text}
        hits = set(iterate_ids(f"TI={term}"))
        assert hits == truth, f"{term}: {len(hits - truth)} extra, {len(truth - hits)} missed"


def test_chinese_terms_match_exactly_their_substrings_in_the_demo_sample(tmp_path: Path) -> None:
    titles = _load(SAMPLE, tmp_path)
    _check_exact(titles, _terms(titles, seed=2026))


@pytest.mark.shared_data
def test_chinese_terms_match_exactly_their_substrings_in_the_whole_file(tmp_path: Path) -> None:
    if not SHARED.exists():
        pytest.skip(f"../shared/data not present: {SHARED} is needed for this test")
    titles = _load(SHARED, tmp_path)
    _check_exact(titles, _terms(titles, seed=7))
