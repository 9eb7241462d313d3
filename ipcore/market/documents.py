"""交易文件 — the documents the parties of a deal keep on it: the contract, CNIPA's licence
filing certificate or transfer registration notice, a valuation report, anything else.

Which bytes are accepted (PDF, Word, Excel, OFD, JPEG, PNG, checked by content) is
`ipcore.uploads`; this module says what a document is and when a deal takes them. A deal
takes documents at every stage up to and after completion (a registration notice often
arrives after the parties have called a deal done), but not once it is withdrawn or failed:
nothing is being agreed any more, and a late file there would only be noise in the record.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final

from ipcore.market.deals import STAGE_LABELS_ZH, DealStage
from ipcore.uploads import FileType

MAX_NOTE_CHARS: Final = 500


class DocumentKind(StrEnum):
    """交易文件类型."""

    CONTRACT = "contract"  # 合同
    FILING_CERTIFICATE = "filing_certificate"  # 备案证明 (专利实施许可合同备案证明)
    REGISTRATION_NOTICE = "registration_notice"  # 转让登记通知书
    VALUATION_REPORT = "valuation_report"  # 评估报告
    OTHER = "other"  # 其他


DOCUMENT_KIND_LABELS_ZH: Final[Mapping[DocumentKind, str]] = {
    DocumentKind.CONTRACT: "合同",
    DocumentKind.FILING_CERTIFICATE: "备案证明",
    DocumentKind.REGISTRATION_NOTICE: "转让登记通知书",
    DocumentKind.VALUATION_REPORT: "评估报告",
    DocumentKind.OTHER: "其他",
}

# Every accepted type may carry any kind: a contract arrives as a signed scan (PDF, JPEG),
# a draft (DOCX) or CNIPA's e-certificate (OFD).
DOCUMENT_TYPES: Final = frozenset(FileType)
NO_DOCUMENT_STAGES: Final = frozenset({DealStage.WITHDRAWN, DealStage.FAILED})


def takes_documents(stage: DealStage) -> bool:
    """Whether a deal at ``stage`` takes new documents."""
    return stage not in NO_DOCUMENT_STAGES


def closed_to_documents(stage: DealStage) -> tuple[str, str] | None:
    """Why a deal at ``stage`` takes no documents (zh, en); None when it does."""
    if takes_documents(stage):
        return None
    return (
        f"交易已{STAGE_LABELS_ZH[stage]}，不再接受文件",
        f"the deal is {stage.value}: it takes no more documents",
    )
