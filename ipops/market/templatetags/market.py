"""Amounts on market pages: 万元 with the exact CNY value on hover."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.html import format_html

from ipcore.market.money import in_wan

register = template.Library()


@register.filter
def wan(amount: Decimal | None) -> str:
    if amount is None:
        return ""
    return format_html('<span title="{} CNY">{}</span>', f"{amount:,.2f}", in_wan(amount))
