"""The exports through validators nobody on the project wrote: the Nu Html Checker, axe-core
(WCAG 2.2 AA) in Chromium, a phone-width check in Chromium, and markdownlint. Each check is
first shown to catch a page or file that breaks its rules, so a pass means something."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import pytest

from facilitator.reports.export import Audience, render_export
from facilitator.reports.snapshot import SessionSnapshot
from tests.reports.export.browser import keep_screenshot, open_page
from tests.reports.export.validators import (
    PHONE_EXPRESSION,
    axe_expression,
    markdownlint_problems,
    need_chromium,
    nu_messages,
)
from tests.reports.export.test_formats import SESSIONS
from tests.reports.summary.sample_sessions import SessionBuilder, demo_session
from tests.reports.summary.test_sections import hundred_item_session

NOW = datetime(2026, 11, 28, 19, 0, tzinfo=timezone.utc)


def hostile_session() -> SessionSnapshot:
    """Text that tries to be markup, links, formulas or a table in every format."""
    s = SessionBuilder()
    mallory = s.person('<b onmouseover="x()">Mallory</b> | =cmd', "newcomer")
    bob = s.person("Bob www.example.org", "veteran")
    s.item(mallory, "do", '=HYPERLINK("http://evil.example","click") and see https://evil.example/a|b?c=<d>')
    s.item(bob, "dont", "Don't mail me at bob@example.org or visit www.example.org/*x*_y_ [z](javascript:alert(1))")
    s.item(mallory, "do", "<script>alert(1)</script> & <img src=x> `code` # not a heading")
    s.vote(mallory, 1, 2)
    s.vote(bob, 2, 3)
    s.pledge(mallory, "<script>alert(2)</script> | =1+1 [x](javascript:alert(3)) # pledge", item=1)
    return s.build(title="</title><h1>Not a title</h1>")


SAMPLES: dict[str, Callable[[], SessionSnapshot]] = {
    **SESSIONS,
    "hostile": hostile_session,
    "hundred items": hundred_item_session,
}


def write_all(tmp_path: Path, fmt: str) -> list[Path]:
    paths = []
    for name, build in SAMPLES.items():
        for audience in Audience:
            path = tmp_path / f"{name.replace(' ', '-')}-{audience.value}.{fmt}"
            path.write_bytes(render_export(build(), fmt, NOW, audience).content)
            paths.append(path)
    return paths


# The Nu Html Checker


def test_the_nu_checker_catches_a_broken_page(tmp_path: Path) -> None:
    page = tmp_path / "broken.html"
    page.write_text('<!DOCTYPE html><html><title>x</title><table><tr><td>1</td></table><p style="colr: red">x', "utf-8")
    messages = nu_messages(page)
    assert any("lang" in m["message"] for m in messages)  # a warning: no language
    assert any(m["type"] == "error" and "CSS" in m["message"] for m in messages)


def test_every_html_report_passes_the_nu_checker(tmp_path: Path) -> None:
    pages = write_all(tmp_path, "html")
    messages = nu_messages(*pages)
    assert messages == [], [(Path(m["url"]).name, m["message"], m.get("extract", "")) for m in messages[:10]]


# markdownlint


def test_markdownlint_catches_what_the_old_export_did(tmp_path: Path) -> None:
    old = tmp_path / "old.md"
    old.write_text("# T\n\n|a|b|\n|---|---|\n| see https://evil.example | |\n", "utf-8")
    status, report = markdownlint_problems(old)
    assert status != 0
    assert "MD034" in report  # a bare URL from item text
    assert "MD055" in report or "MD060" in report  # the table's pipe and delimiter style


def test_every_markdown_export_is_clean_under_markdownlint(tmp_path: Path) -> None:
    files = write_all(tmp_path, "md")
    status, report = markdownlint_problems(*files)
    assert status == 0, report


# In Chromium: axe-core and a phone's width


async def test_axe_catches_violations(tmp_path: Path) -> None:
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html><title>bad</title><body><p style="color:#aaa;background:#fff">faint</p>'
        '<svg role="img"><rect width="5" height="5"/></svg><table><tr><th></th></tr></table></body></html>',
        "utf-8",
    )
    report = await open_page(need_chromium(), page, tmp_path, evaluate={"axe": axe_expression()})
    ids = {violation["id"] for violation in report.evaluated["axe"]["violations"]}
    assert {"html-has-lang", "color-contrast", "svg-img-alt"} <= ids


@pytest.mark.parametrize("width", [900, 390])
async def test_the_report_has_no_axe_violations(tmp_path: Path, width: int) -> None:
    chromium = need_chromium()
    expression = axe_expression()
    for name, build in (("demo", demo_session), ("anonymous", lambda: demo_session(anonymous=True)), ("hostile", hostile_session),
                        ("pledges", lambda: demo_session(pledged=True))):
        page = tmp_path / f"{name}.html"
        page.write_bytes(render_export(build(), "html", NOW, Audience.OPERATOR).content)
        report = await open_page(chromium, page, tmp_path / name, width=width, mobile=width < 600, evaluate={"axe": expression})
        result = report.evaluated["axe"]
        assert result["violations"] == [], (name, result["violations"])
        assert result["passes"] > 10  # axe really ran its rules on the page
        assert report.requests == [page.resolve().as_uri()] and report.console_errors == []


async def test_the_phone_check_catches_an_overflowing_page(tmp_path: Path) -> None:
    page = tmp_path / "wide.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><meta name="viewport" content="width=device-width"><title>w</title>'
        '<table><tr><td style="min-width:600px">x</td></tr></table>'
        '<svg class="chart" viewBox="0 0 760 40" style="width:100%"><text y="20" font-size="13">tiny</text></svg></html>',
        "utf-8",
    )
    report = await open_page(need_chromium(), page, tmp_path, width=390, mobile=True, evaluate={"phone": PHONE_EXPRESSION})
    phone = report.evaluated["phone"]
    assert phone["scrollWidth"] > 390 and "table" in phone["wide"]
    assert phone["smallestChartText"] < 12


@pytest.mark.parametrize("name", ["demo", "hundred items", "hostile", "anonymous"])
async def test_the_report_fits_a_phone(tmp_path: Path, name: str) -> None:
    page = tmp_path / "report.html"
    page.write_bytes(render_export(SAMPLES[name](), "html", NOW, Audience.OPERATOR).content)
    report = await open_page(need_chromium(), page, tmp_path, width=390, mobile=True, evaluate={"phone": PHONE_EXPRESSION})
    phone = report.evaluated["phone"]
    assert phone["width"] == 390
    assert phone["scrollWidth"] == 390 and phone["wide"] == [] and phone["clippedTables"] == 0, phone
    assert phone["chartTexts"] > 0 and phone["smallestChartText"] >= 12, phone
    keep_screenshot(report.png, f"report-390-{name.replace(' ', '-')}.png")
