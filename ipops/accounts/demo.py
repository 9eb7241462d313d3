"""Demo organisations and one demo account per role, for a trial installation.

The organisations are fictitious; their credit codes are built with the real GB 32100 and
GB 11714 check characters (district 310115, 浦东新区) so that they pass the same validation
as real ones. Loading is idempotent: what exists is left alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from ipcore.divisions import PUDONG
from ipcore.identifiers.uscc import org_code_check_char, uscc_check_char
from ipops.accounts import services
from ipops.accounts.models import Engagement, EngagementKind, Organization, User


@dataclass(frozen=True)
class DemoOrganization:
    key: str
    name: str
    name_en: str
    kind: str
    authority: str  # registration authority + category (GB 32100 positions 1 and 2)
    org_body: str  # 8 characters of the GB 11714 organisation code
    size_class: str = ""

    @property
    def role_name(self) -> str:
        return {
            "bureau": "知识产权局",
            "center": "保护中心",
            "provider": "服务机构",
            "enterprise": "创新主体",
            "bank": "金融机构",
        }[self.key]


DEMO_ORGANIZATIONS = (
    DemoOrganization(
        "bureau",
        "浦东新区知识产权局（演示）",
        "Pudong IP Bureau (demo)",
        "bureau",
        "11",
        "PDXQ0001",
    ),
    DemoOrganization(
        "center",
        "中国（浦东）知识产权保护中心（演示）",
        "China (Pudong) IP Protection Center (demo)",
        "protection_center",
        "12",
        "PDXQ0002",
    ),
    DemoOrganization(
        "provider",
        "浦东知识产权运营服务有限公司（演示）",
        "Pudong IP Operations Co., Ltd. (demo)",
        "service_institution",
        "91",
        "PDXQ0003",
        "small",
    ),
    DemoOrganization(
        "enterprise",
        "上海张江智芯科技有限公司（演示）",
        "Shanghai Zhangjiang Zhixin Technology Co., Ltd. (demo)",
        "enterprise",
        "91",
        "PDXQ0004",
        "micro",
    ),
    DemoOrganization(
        "bank",
        "浦东科创银行（演示）",
        "Pudong Sci-Tech Bank (demo)",
        "bank",
        "91",
        "PDXQ0005",
        "large",
    ),
)


def demo_uscc(demo: DemoOrganization) -> str:
    org_code = demo.org_body + org_code_check_char(demo.org_body)
    first17 = demo.authority + PUDONG + org_code
    return first17 + uscc_check_char(first17)


def demo_username(key: str) -> str:
    return f"demo-{key}"


def load_demo_accounts() -> list[str]:
    """Create what is missing; return a line for each thing created."""
    created: list[str] = []
    organizations: dict[str, Organization] = {}
    with transaction.atomic():
        for demo in DEMO_ORGANIZATIONS:
            organization, made = _organization(demo)
            organizations[demo.key] = organization
            if made:
                created.append(f"organisation {organization.name}")
            username = demo_username(demo.key)
            if not User.objects.filter(username=username).exists():
                services.create_user(
                    actor=None,
                    username=username,
                    password=settings.IPOPS_DEMO_PASSWORD,
                    organization=organization,
                    display_name=f"演示用户·{demo.role_name}",
                    email=f"{username}@example.com",
                )
                created.append(f"account {username}")
        if not Engagement.objects.filter(
            provider=organizations["provider"], client=organizations["enterprise"]
        ).exists():
            services.start_engagement(
                actor=None,
                provider=organizations["provider"],
                client=organizations["enterprise"],
                kind=EngagementKind.CUSTODY,
            )
            created.append("custody engagement provider → enterprise")
    return created


def _organization(demo: DemoOrganization) -> tuple[Organization, bool]:
    uscc = demo_uscc(demo)
    existing = Organization.objects.filter(uscc=uscc).first()
    if existing is not None:
        return existing, False
    organization = services.create_organization(
        actor=None,
        name=demo.name,
        name_en=demo.name_en,
        kind=demo.kind,
        uscc=uscc,
        division_code=PUDONG,
        size_class=demo.size_class,
        address="上海市浦东新区",
    )
    return organization, True
