"""Amounts the Chinese way: 万元 (10,000 CNY) and 亿元 (100 million), exact value kept."""

from __future__ import annotations

from decimal import Decimal
from typing import Final

WAN: Final = Decimal(10_000)
YI: Final = Decimal(100_000_000)


def in_wan(amount: Decimal) -> str:
    """``Decimal("1234500")`` → ``"123.45万元"``; 亿元 from 1 亿 up; trailing zeros dropped."""
    if abs(amount) >= YI:
        value, unit = amount / YI, "亿元"
    else:
        value, unit = amount / WAN, "万元"
    text = f"{value.quantize(Decimal('0.0001')):f}".rstrip("0").rstrip(".")
    return f"{text}{unit}"
