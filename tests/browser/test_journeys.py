"""Browser journeys on a real `ipops serve`: sign in as each demo role, see its own menu."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

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
    submit(page, "form.stacked button[type=submit]")


def submit(page, selector: str) -> None:  # type: ignore[no-untyped-def]
    """Click a button that posts a form and wait until the answering page has loaded.

    A click returns once the navigation commits, before the new page is parsed; reading
    the page then can see an empty or a stale document (CI once read an empty menu).
    """
    with page.expect_navigation():
        page.click(selector)


def menu(page) -> set[str]:  # type: ignore[no-untyped-def]
    # all_inner_texts() does not wait, so wait for the menu to be there first.
    expect(page.locator("nav.sidebar li a").first).to_be_visible()
    return {text.strip() for text in page.locator("nav.sidebar li a").all_inner_texts()}


@pytest.mark.parametrize("key", [demo.key for demo in DEMO_ORGANIZATIONS])
def test_each_demo_role_signs_in_and_sees_its_own_menu(page, key: str) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, demo_username(key))
    expect(page.locator("main h1")).to_contain_text("工作台")
    assert menu(page) == EVERY_SIGNED_IN_MENU | EXPECTED_MENU[key]


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
    submit(page, "form.lang-switch button[value=en]")
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
    expect(page.locator(".form-errors")).to_contain_text("用户名或密码错误")


def test_bureau_registers_an_organisation_after_fixing_the_credit_code(page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "demo-bureau")
    page.goto("/accounts/organizations/new/")
    page.fill("#id_name", "上海浏览器测试科技有限公司")
    page.select_option("#id_kind", "enterprise")
    page.fill("#id_uscc", "91350100M000100Y4Z")  # GB 32100's own example of a wrong code
    page.fill("#id_division_code", "310115")
    submit(page, "form.stacked button[type=submit]")
    expect(page.locator(".field-invalid")).to_contain_text("第18位")
    page.fill("#id_uscc", "91350100M000100Y43")
    submit(page, "form.stacked button[type=submit]")
    expect(page.locator("main h1")).to_have_text("上海浏览器测试科技有限公司")


def test_a_searcher_queries_refines_by_a_facet_and_saves_the_search(page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "demo-provider")
    page.goto("/search/")
    page.fill("#id_q", "无人机 OR drone")
    submit(page, "form.search-box button")
    head = page.locator(".results-head")
    expect(head).to_contain_text("件专利")
    expect(head).to_contain_text("TAC:无人机 OR TAC:drone")
    expect(page.locator(".result mark").first).to_be_visible()
    with page.expect_navigation():
        page.locator(".facet", has_text="受理局").locator("a").first.click()
    expect(page.locator("#id_q")).to_have_value(re.compile("AND CC="))
    page.fill("#id_name", "无人机监测")
    submit(page, "form.inline-form button")
    expect(page.locator("main table")).to_contain_text("无人机监测")


def test_a_mistyped_query_points_at_the_column(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/search/?q=TI%3D(%E7%94%B5%E6%B1%A0")
    expect(page.locator(".form-errors")).to_contain_text("第 7 列")


def test_the_server_warms_its_worker_up(live_ipops: str, live_data_dir: Path) -> None:
    log = live_data_dir / "serve.log"
    deadline = time.monotonic() + 60
    while not (warmed := _warmed_up(log)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert warmed, f"no 'warmed up' line in {log}"
    # Both steps finished: a failed one is logged and left out of the line.
    assert "reference tables" in warmed[0] and "landscape report queries" in warmed[0]


def _warmed_up(log: Path) -> list[str]:
    return [line for line in log.read_text(encoding="utf-8").splitlines() if "warmed up:" in line]
