"""The HTML report: self-contained, accessible, escaped; then opened in headless Chromium."""

from __future__ import annotations

import re
import struct
from dataclasses import replace
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path

import pytest

from facilitator.reports.export import render_export
from facilitator.replies import Reading
from facilitator.reports.snapshot import SessionSnapshot
from tests.reports.export.browser import PageReport, find_chromium, keep_screenshot, open_page
from tests.reports.summary.sample_sessions import SessionBuilder, demo_session

NOW = datetime(2026, 11, 28, 19, 0, tzinfo=timezone.utc)
CHROMIUM = find_chromium()
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="validator missing: chromium (Debian: apt-get install chromium)")


def html_of(snapshot: SessionSnapshot) -> str:
    return render_export(snapshot, "html", NOW).content.decode("utf-8")


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(page: str) -> _Collect:
    collector = _Collect()
    collector.feed(page)
    return collector


def test_the_page_fetches_nothing_and_runs_no_script() -> None:
    page = parsed(html_of(demo_session()))
    names = {tag for tag, _ in page.tags}
    assert not names & {"script", "link", "img", "iframe", "object", "embed", "image", "use"}
    for tag, attrs in page.tags:
        for key in ("src", "xlink:href", "action", "poster", "srcset"):
            assert key not in attrs, (tag, key)
        if "href" in attrs:  # a reading's link: followed only when clicked, and only to the web
            assert tag == "a" and (attrs["href"] or "").startswith("https://"), (tag, attrs)
    csp = next(attrs for tag, attrs in page.tags if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy")
    assert (csp["content"] or "").startswith("default-src 'none'")
    assert "url(" not in html_of(demo_session())  # no stylesheet fetches either


def test_the_page_is_accessible() -> None:
    page = parsed(html_of(demo_session()))
    html_tag = next(attrs for tag, attrs in page.tags if tag == "html")
    assert html_tag["lang"] == "en"
    assert [tag for tag, _ in page.tags].count("h1") == 1
    charts = [attrs for tag, attrs in page.tags if tag == "svg"]
    assert len(charts) == 3  # DOs, DON'Ts, divergence
    for chart in charts:
        assert chart["role"] == "img"
        ids = (chart["aria-labelledby"] or "").split()
        assert len(ids) == 2 and all(any(a.get("id") == i for _, a in page.tags) for i in ids)
    # Each chart is followed by a table of the same numbers.
    page_text = html_of(demo_session())
    for match in re.finditer(r"</figure>", page_text):
        assert page_text[match.end():].lstrip().startswith("<table")


def test_user_text_is_escaped() -> None:
    s = SessionBuilder()
    mallory = s.person('<b onmouseover="x()">Mallory</b>', "newcomer")
    s.item(mallory, "do", "<script>alert(1)</script> & <img src=http://example.org/x.png>")
    page = html_of(s.build(title="</title><script>alert(2)</script>"))
    assert "<script>" not in page and "<img" not in page and "<b onmouseover" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src=http://example.org/x.png&gt;" in page
    assert "".join(parsed(page).text).count("<script>alert(1)</script>") >= 1  # shown to the reader as sent


def test_only_web_links_become_links() -> None:
    s = SessionBuilder()
    s.template = replace(s.template, readings=(Reading("Bad", "javascript:alert(1)"), Reading("Good", "https://a.example/?q=1&r=2")))
    page = html_of(s.build())
    assert 'href="javascript' not in page and "javascript:alert(1)" in page
    assert '<a href="https://a.example/?q=1&amp;r=2">Good</a>' in page


def test_anonymous_report_names_nobody() -> None:
    snapshot = demo_session(anonymous=True)
    page = html_of(snapshot)
    assert all(p.name not in page for p in snapshot.participants)
    assert "anonymous" in page


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def local_requests(report: PageReport, page: Path) -> list[str]:
    return [url for url in report.requests if url != page.resolve().as_uri()]


@needs_chromium
async def test_report_in_headless_chromium(tmp_path: Path) -> None:
    assert CHROMIUM is not None
    page = tmp_path / "report.html"
    page.write_bytes(render_export(demo_session(), "html", NOW).content)
    report = await open_page(CHROMIUM, page, tmp_path)
    assert report.console_errors == []
    assert report.requests == [page.resolve().as_uri()]  # the page itself, and nothing else
    facts = report.facts
    assert facts["lang"] == "en" and facts["title"] == "PLN workshop – session summary" and facts["scripts"] == 0
    assert facts["h1"] == 1 and "Where newcomer and veteran support differs" in facts["h2"]
    charts = facts["charts"]
    assert [c["label"] for c in charts] == [
        "Votes per DO item, stacked by level",
        "Votes per DON'T item, stacked by level",
        "Support from newcomer compared with veteran, largest differences first",
    ]
    # Stacked segments: DOs 3+3+2+0 (one per level with votes), DON'Ts 2+2+1; divergence: one bar per entry.
    assert [c["bars"] for c in charts] == [8, 5, 6]
    assert all(c["width"] > 300 for c in charts)
    assert facts["tables"] == 6  # DOs, DON'Ts, consensus, divergence, give and take, timeline
    width, height = png_size(report.png)
    assert width == 900 and height > 1500
    assert report.pdf.startswith(b"%PDF")
    (tmp_path / "report.png").write_bytes(report.png)
    keep_screenshot(report.png, "report.png")


@needs_chromium
async def test_the_browser_check_catches_fetches_and_errors(tmp_path: Path) -> None:
    """The check above could pass by not looking: a page that fetches and errs must be caught."""
    assert CHROMIUM is not None
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><title>bad</title><img src="http://127.0.0.1:9/x.png" alt="">'
        '<img src="missing.png" alt=""><script>console.error("boom")</script></html>'
    )
    report = await open_page(CHROMIUM, page, tmp_path)
    assert "http://127.0.0.1:9/x.png" in report.requests
    assert any(url.endswith("/missing.png") for url in local_requests(report, page))
    assert any("boom" in message for message in report.console_errors)


def test_charts_stay_readable_for_a_hundred_items() -> None:
    from tests.reports.summary.test_sections import hundred_item_session

    page = html_of(hundred_item_session())
    charts = re.findall(r"<svg.*?</svg>", page, flags=re.S)
    assert len(charts) == 3
    # At most 15 bars' rows per chart (each row is one <g>); every item is still in a table.
    assert [chart.count("<g>") for chart in charts] == [15, 15, 15]
    assert "(the 15 most voted of 50)" in charts[0]
    assert page.count('<tr><td class="n">') >= 100
