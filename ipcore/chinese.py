"""繁简转换 — Traditional Chinese folded to Simplified for matching (OpenCC's t2s tables).

Matching only: names and texts are stored and shown as written. A Taiwanese or Hong Kong
applicant (台灣積體電路製造股份有限公司) and its simplified spelling in a CNIPA record
(台湾积体电路制造股份有限公司) must meet on one key, and a search for 电池 must find 電池.
The conversion runs only on text that contains Han characters, so Latin names cost nothing.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Final

import opencc

_HAN: Final = re.compile("[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """``text`` with Traditional characters replaced by their Simplified forms (phrase-aware
    where OpenCC knows the phrase); text without Han characters is returned unchanged."""
    if not _HAN.search(text):
        return text
    return str(_converter().convert(text))
