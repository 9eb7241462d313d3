"""Deal documents: real files kept by the parties, every refusal reason audited with nothing
written (no row, no file), the file gone again when the transaction fails, the page and the
API, and who may download (parties and the bureau; anyone else 404)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from ipcore.access import Role
from ipcore.tests import sample_files
from ipops.accounts.tests.factories import make_persona
from ipops.audit.models import AuditEntry
from ipops.errors import Conflict, InvalidInput, NotPermitted
from ipops.market import services
from ipops.market.models import Deal, DealDocument
from ipops.market.tests.factories import granted_patent
from ipops.notifications.models import Notification

pytestmark = pytest.mark.django_db
E, P, B, C, K = Role.ENTERPRISE, Role.PROVIDER, Role.BUREAU, Role.CENTER, Role.BANK


@pytest.fixture(autouse=True)
def _english():  # type: ignore[no-untyped-def]
    with translation.override("en"):
        yield


@pytest.fixture
def buyer():  # type: ignore[no-untyped-def]
    return make_persona(Role.ENTERPRISE)


@pytest.fixture
def deal(personas, buyer) -> Deal:  # type: ignore[no-untyped-def]
    granted_patent(1, personas[E].organization)
    listing = services.create_listing(
        actor=personas[E],
        kind="ordinary_licence",
        title="锂电池正极材料专利许可",
        numbers=["CN113700001B"],
        contact="021-1234",
    )
    return services.open_deal(actor=buyer, listing=listing)


def _uploads() -> Path:
    return Path(default_storage.path(""))


def _files_on_disk() -> list[Path]:
    return [p for p in _uploads().rglob("*") if p.is_file()] if _uploads().exists() else []


def _upload(actor: Any, deal: Deal, name: str, content: bytes, **extra: Any) -> DealDocument:
    return services.upload_deal_document(
        actor=actor,
        deal=deal,
        kind=extra.pop("kind", "contract"),
        file_name=name,
        content=content,
        **extra,
    )


def test_the_parties_keep_real_documents_and_the_other_side_is_told(  # type: ignore[no-untyped-def]
    personas, buyer, deal
) -> None:
    contract = sample_files.pdf()
    document = _upload(personas[E], deal, "许可合同（签字版）.pdf", contract, note="双方已签字")
    assert (document.kind, document.file_type, document.side) == ("contract", "pdf", "seller")
    assert document.original_name == "许可合同（签字版）.pdf" and document.size == len(contract)
    stored = _uploads() / document.stored_name
    assert stored.read_bytes() == contract
    assert "许可" not in document.stored_name and stored.suffix == ".pdf"
    entry = AuditEntry.objects.get(action="market.document_uploaded")
    assert entry.new_values["sha256"] == document.sha256 and len(document.sha256) == 64
    assert entry.new_values["size"] == len(contract) and entry.new_values["kind"] == "contract"
    assert Notification.objects.filter(recipient=buyer).count() == 1
    assert not Notification.objects.filter(recipient=personas[E], subject__contains="document")
    # the seller's provider acts for its client; the buyer keeps CNIPA's e-certificate
    draft = _upload(personas[P], deal, "合同草稿.docx", sample_files.docx(), kind="other")
    assert draft.side == "seller" and draft.file_type == "docx"
    ofd = sample_files.ofd()
    certificate = _upload(buyer, deal, "备案证明.ofd", ofd, kind="filing_certificate")
    assert certificate.side == "buyer" and certificate.content_type == "application/ofd"
    assert Notification.objects.filter(recipient=personas[E], subject__contains="document").count()
    assert len(_files_on_disk()) == 3


@pytest.mark.parametrize(
    ("name", "make", "code", "words"),
    [
        ("合同.pdf", lambda: b"", "empty", "empty"),
        ("合同.pdf", sample_files.pdf, "too_large", "over the 100 B limit"),
        ("contract.exe", lambda: b"MZ\x90\x00" + bytes(200), "type_not_allowed", "only a PDF"),
        ("contract.pdf", sample_files.png, "not_what_it_says", "named .pdf but it is a PNG"),
        ("合同.docx", lambda: sample_files.zipped({"a.txt": b"x"}), "not_what_it_says", "ZIP"),
        ("合同.docx", sample_files.zip_bomb, "unsafe_archive", "zip bomb"),
    ],
)
def test_a_bad_file_is_refused_with_the_reason_audited_and_nothing_written(  # type: ignore[no-untyped-def]
    personas, deal, settings, name, make, code, words
) -> None:
    if code == "too_large":
        settings.MARKET_MAX_UPLOAD_BYTES = 100
    with pytest.raises(InvalidInput) as raised:
        _upload(personas[E], deal, name, make())
    assert raised.value.code == code and words in raised.value.details["file"][0]
    assert not DealDocument.objects.exists() and not _files_on_disk()
    entry = AuditEntry.objects.get(action="market.document_refused")
    assert entry.new_values["reason"] == code and words in entry.new_values["message"]
    assert entry.new_values["name"] == name and entry.target_id == str(deal.pk)


def test_only_the_parties_upload_and_only_while_the_deal_is_open(  # type: ignore[no-untyped-def]
    personas, buyer, deal
) -> None:
    for outsider in (personas[B], make_persona(E)):  # the bureau reads, it does not upload
        with pytest.raises(NotPermitted):
            _upload(outsider, deal, "合同.pdf", sample_files.pdf())
    with pytest.raises(NotPermitted):  # no deals at all for a bank
        _upload(personas[K], deal, "合同.pdf", sample_files.pdf())
    reasons = AuditEntry.objects.filter(action="market.document_refused").order_by("id")
    assert [e.new_values["reason"] for e in reasons] == ["not_a_party", "not_a_party"]
    with pytest.raises(InvalidInput) as raised:
        _upload(buyer, deal, "合同.pdf", sample_files.pdf(), kind="invoice", note="x" * 501)
    assert set(raised.value.details) == {"kind", "note"}
    services.move_deal(actor=buyer, deal=deal, to_stage="withdrawn", version=1)
    with pytest.raises(Conflict) as closed:
        _upload(buyer, deal, "合同.pdf", sample_files.pdf())
    assert closed.value.code == "deal_closed" and "withdrawn" in str(closed.value.message)
    assert [e.new_values["reason"] for e in reasons.all()][2:] == ["invalid_input", "deal_closed"]
    assert not DealDocument.objects.exists() and not _files_on_disk()


def test_the_file_is_gone_again_when_the_transaction_fails(  # type: ignore[no-untyped-def]
    personas, deal, monkeypatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("mail queue down")

    monkeypatch.setattr(services, "_tell", broken)
    with pytest.raises(RuntimeError):
        _upload(personas[E], deal, "合同.pdf", sample_files.pdf())
    assert not DealDocument.objects.exists() and not _files_on_disk()
    assert not AuditEntry.objects.filter(action="market.document_uploaded").exists()


def test_a_deal_withdrawn_while_the_file_was_written_takes_no_document(  # type: ignore[no-untyped-def]
    personas, buyer, deal, monkeypatch
) -> None:
    from ipops.market import documents

    store = documents.store

    def withdrawn_meanwhile(name: str, content: bytes) -> Path:
        services.move_deal(actor=buyer, deal=Deal.objects.get(), to_stage="withdrawn", version=1)
        return store(name, content)

    monkeypatch.setattr(documents, "store", withdrawn_meanwhile)
    with pytest.raises(Conflict):
        _upload(personas[E], deal, "合同.pdf", sample_files.pdf())
    assert not DealDocument.objects.exists() and not _files_on_disk()
    assert AuditEntry.objects.get(action="market.document_refused").new_values["reason"] == (
        "deal_closed"
    )


def test_upload_on_the_page_and_download_with_safe_headers(  # type: ignore[no-untyped-def]
    personas, buyer, deal, client
) -> None:
    url = reverse("market:deal_document_upload", args=[deal.pk])
    client.force_login(personas[E])
    page = client.get(reverse("market:deal_detail", args=[deal.pk])).content.decode()
    assert 'enctype="multipart/form-data"' in page and url in page
    contract = sample_files.pdf()
    sent = client.post(
        url,
        {"kind": "contract", "note": "签字版", "file": SimpleUploadedFile("合同.pdf", contract)},
    )
    assert sent.status_code == 302
    document = DealDocument.objects.get()
    page = client.get(reverse("market:deal_detail", args=[deal.pk])).content.decode()
    assert "合同.pdf" in page and "签字版" in page
    client.cookies["django_language"] = "en"
    refused = client.post(
        url,
        {"kind": "contract", "file": SimpleUploadedFile("contract.pdf", sample_files.png())},
        headers={"HX-Request": "true"},
    )
    body = refused.content.decode()
    assert refused.status_code == 200 and 'id="deal-documents"' in body
    assert "named .pdf but it is a PNG image" in body and DealDocument.objects.count() == 1

    client.force_login(buyer)
    download = client.get(reverse("market:deal_document", args=[deal.pk, document.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == contract
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "%E5%90%88%E5%90%8C.pdf" in download["Content-Disposition"]  # 合同.pdf
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in download["Cache-Control"]


def _status(client: Any, url: str) -> int:
    """GET ``url``; a file is read to its end, which closes it (closing the response by hand
    would also close the test's database connection)."""
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)
    return int(response.status_code)


@pytest.mark.parametrize(
    ("who", "expected"),
    [("seller", 200), ("provider", 200), ("buyer", 200), ("bureau", 200), ("center", 403),
     ("bank", 403), ("outsider", 404), ("public", 302)],
)  # fmt: skip
def test_who_may_download_a_document(  # type: ignore[no-untyped-def]
    personas, buyer, deal, client, who, expected
) -> None:
    document = _upload(personas[E], deal, "合同.pdf", sample_files.pdf())
    people = {"seller": personas[E], "provider": personas[P], "buyer": buyer, "bureau": personas[B]}
    people |= {"center": personas[C], "bank": personas[K], "outsider": make_persona(E)}
    if who in people:
        client.force_login(people[who])
    page = _status(client, reverse("market:deal_document", args=[deal.pk, document.pk]))
    api = _status(client, f"/api/market/deals/{deal.pk}/documents/{document.pk}")
    assert page == expected
    assert api == {302: 401}.get(expected, expected)
    if who == "outsider":  # and no upload either: the deal is not there for them
        sent = client.post(
            reverse("market:deal_document_upload", args=[deal.pk]),
            {"kind": "contract", "file": SimpleUploadedFile("a.pdf", sample_files.pdf())},
        )
        assert sent.status_code == 404 and DealDocument.objects.count() == 1


def test_documents_over_the_api(personas, buyer, deal, client) -> None:  # type: ignore[no-untyped-def]
    base = f"/api/market/deals/{deal.pk}/documents"
    client.force_login(buyer)
    xlsx = sample_files.xlsx()
    created = client.post(
        base, {"kind": "valuation_report", "file": SimpleUploadedFile("评估.xlsx", xlsx)}
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["file_type"] == "xlsx" and body["size"] == len(xlsx) and body["side"] == "buyer"
    assert client.get(base).json()[0]["sha256"] == body["sha256"]
    fetched = client.get(body["url"])
    assert b"".join(fetched.streaming_content) == xlsx
    refused = client.post(
        base, {"kind": "contract", "file": SimpleUploadedFile("contract.pdf", sample_files.png())}
    )
    assert refused.status_code == 422 and refused.json()["code"] == "not_what_it_says"
    assert refused.json()["details"]["file"] == ["文件名为 .pdf，内容却是PNG 图片（应为 .png）"]
    missing = client.post(base, {"kind": "contract"})
    assert missing.status_code == 422 and missing.json()["code"] == "invalid_input"
    client.force_login(personas[B])
    assert client.get(base).status_code == 200
    bureau = client.post(base, {"kind": "other", "file": SimpleUploadedFile("a.png", b"x")})
    assert bureau.status_code == 403 and bureau.json()["code"] == "forbidden"
    client.force_login(make_persona(E))
    assert client.get(base).status_code == 404
    assert DealDocument.objects.count() == 1


def test_the_deal_page_costs_the_same_queries_for_more_documents(  # type: ignore[no-untyped-def]
    personas, buyer, deal, client
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def counted() -> int:
        with CaptureQueriesContext(connection) as run:
            assert client.get(reverse("market:deal_detail", args=[deal.pk])).status_code == 200
        return len(run)

    client.force_login(buyer)
    _upload(personas[E], deal, "合同.pdf", sample_files.pdf())
    one = counted()
    _upload(personas[P], deal, "草稿.docx", sample_files.docx(), kind="other")
    _upload(buyer, deal, "扫描件.jpg", sample_files.JPEG)
    assert counted() == one
