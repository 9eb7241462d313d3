"""Browser journeys on a real `ipops serve`: sign in as each demo role, see its own menu."""

from __future__ import annotations

import pytest

from ipops.accounts.demo import DEMO_ORGANIZATIONS, demo_username

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "ipops-demo-2026"

# What each role's menu offers beyond what every signed-in person has.
EXPECTED_MENU = {
    "bureau": {"全部机构", "审计日志", "数据质量", "申请人名称", "交易", "质押登记"},
    "provider": {"服务客户", "交易", "质押登记"},
    "enterprise": {"交易", "质押登记"},
    "center": set(),
    "bank": {"质押登记"},
}
EVERY_SIGNED_IN_MENU = {
    "首页",
    "专利检索",
    "保存的检索式",
    "专利数据",
    "专题数据集与报告",
    "导航与评议项目",
    "风险排查",
    "专利组合画像",
    "专利价值",
    "高价值专利",
    "专利组合",
    "领域定义",
    "专利交易",
    "技术需求",
    "交易统计",
    "公示公告",
    "通知",
    "本机构",
    "个人信息",
    "API 令牌",
    "帮助",
}


def sign_in(page, username: str, password: str = DEMO_PASSWORD) -> None:  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form.stacked button[type=submit]")


def menu(page) -> set[str]:  # type: ignore[no-untyped-def]
    return {text.strip() for text in page.locator("nav.sidebar li a").all_inner_texts()}


@pytest.mark.parametrize("key", [demo.key for demo in DEMO_ORGANIZATIONS])
def test_each_demo_role_signs_in_and_sees_its_own_menu(page, key: str) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, demo_username(key))
    assert menu(page) == EVERY_SIGNED_IN_MENU | EXPECTED_MENU[key]
    assert "工作台" in page.locator("main h1").inner_text()


def test_the_public_sees_chinese_by_default_and_can_switch_to_english(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/")
    assert menu(page) == {
        "首页",
        "专利检索",
        "专利数据",
        "专利交易",
        "技术需求",
        "交易统计",
        "公示公告",
        "帮助",
    }
    page.click("form.lang-switch button[value=en]")
    assert menu(page) == {
        "Home",
        "Patent search",
        "Patent data",
        "Patent market",
        "Technology needs",
        "Market statistics",
        "Public notices",
        "Help",
    }


def test_a_wrong_password_is_refused_in_chinese(page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "demo-bank", "not-the-password")
    assert "用户名或密码错误" in page.locator(".form-errors").inner_text()


def test_bureau_registers_an_organisation_after_fixing_the_credit_code(page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "demo-bureau")
    page.goto("/accounts/organizations/new/")
    page.fill("#id_name", "上海浏览器测试科技有限公司")
    page.select_option("#id_kind", "enterprise")
    page.fill("#id_uscc", "91350100M000100Y4Z")  # GB 32100's own example of a wrong code
    page.fill("#id_division_code", "310115")
    page.click("form.stacked button[type=submit]")
    assert "第18位" in page.locator(".field-invalid").inner_text()
    page.fill("#id_uscc", "91350100M000100Y43")
    page.click("form.stacked button[type=submit]")
    assert page.locator("main h1").inner_text() == "上海浏览器测试科技有限公司"


def test_a_searcher_queries_refines_by_a_facet_and_saves_the_search(page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "demo-provider")
    page.goto("/search/")
    page.fill("#id_q", "无人机 OR drone")
    page.click("form.search-box button")
    head = page.locator(".results-head").inner_text()
    assert "件专利" in head and "TAC:无人机 OR TAC:drone" in head
    assert page.locator(".result mark").count() > 0
    page.locator(".facet", has_text="受理局").locator("a").first.click()
    assert "AND CC=" in page.locator("#id_q").input_value()
    page.fill("#id_name", "无人机监测")
    page.click("form.inline-form button")
    assert "无人机监测" in page.locator("main table").inner_text()


def test_a_mistyped_query_points_at_the_column(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/search/?q=TI%3D(%E7%94%B5%E6%B1%A0")
    assert "第 7 列" in page.locator(".form-errors").inner_text()
