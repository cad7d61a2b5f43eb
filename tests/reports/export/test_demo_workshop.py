"""The demo workshop through the real service and a SQLite file: every insight in every format,
the formats agree with each other, and the validators accept them."""

from __future__ import annotations

import csv
import html
import io
import json
from pathlib import Path
from typing import Any

import pytest

from adapters.demo import DemoClock, run_demo
from facilitator.bootstrap import open_app
from facilitator.reports.summary.chat import summary_reply
from tests.reports.export.test_schema import errors
from tests.reports.export.validators import markdownlint_problems, nu_messages


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    import asyncio

    folder = tmp_path_factory.mktemp("demo")

    async def run() -> tuple[list[Path], str]:
        clock = DemoClock()
        app = await open_app(f"sqlite:///{folder / 'demo.db'}", clock=clock)
        try:
            written = await run_demo(app.service, folder / "out", clock)
            closing = summary_reply(await app.service.snapshot_of(1)).text
        finally:
            await app.close()
        return written, closing

    written, closing = asyncio.run(run())
    (folder / "summary.txt").write_text(closing, encoding="utf-8")
    files = {path.name.split(".", 1)[1]: path for path in written}
    return files | {"summary": folder / "summary.txt"}


def text(demo: dict[str, Path], fmt: str) -> str:
    return demo[fmt].read_text(encoding="utf-8-sig")


def test_every_format_is_written(demo: dict[str, Path]) -> None:
    assert set(demo) == {"md", "csv", "json", "html", "levels.csv", "summary"}


def test_the_json_is_valid_and_has_every_insight(demo: dict[str, Path]) -> None:
    document: dict[str, Any] = json.loads(text(demo, "json"))
    assert errors(document) == []
    assert document["session"]["phase"] == "closed" and len(document["participants"]) == 12
    assert document["audience"] == "operator"
    assert document["merged"] == [{"number": 11, "into": 7, "text": "Say thank you in public when someone's idea changes how you work."}]
    assert [h["number"] for h in document["hidden"]] == [12]
    assert document["pairs"] == [{"dont": 5, "do": 2}, {"dont": 3, "do": 1}, {"dont": 6, "do": 4}]
    assert sorted(i["number"] for i in document["items"] if i["why"]) == [2, 5, 7]
    assert document["consensus"]["items"] and document["divergence"]["ranked"] and document["divergence"]["entries"]
    assert [row["level"] for row in document["reciprocity"]["levels"]] == ["newcomer", "practitioner", "veteran"]
    assert len(document["reciprocity"]["people"]) == 12
    # The demo's clock moves: the phases last minutes, not "0 s".
    assert all(span["duration_seconds"] >= 600 for span in document["timeline"][:3])

    # Divergence recomputed by another road: votes by level over head counts (one vote per item each).
    people = document["summary"]["people_by_level"]
    items = {item["number"]: item for item in document["items"]}
    first, last = document["divergence"]["first_level"], document["divergence"]["last_level"]
    for entry in document["divergence"]["entries"]:
        votes = items[entry["item"]]["votes_by_level"]
        assert entry["first_share"] == votes[first] / people[first]
        assert entry["last_share"] == votes[last] / people[last]
    # Reciprocity recomputed: items given are the shown items plus the merged one.
    gave = sum(row["gave"]["items"] for row in document["reciprocity"]["levels"])
    assert gave == len(document["items"]) + len(document["merged"])


def test_markdown_and_html_show_every_insight(demo: dict[str, Path]) -> None:
    markdown, page = text(demo, "md"), html.unescape(text(demo, "html"))
    for heading in ("Agreed across levels", "Where newcomer and veteran support differs", "Give and take",
                    "Why, in the authors' words", "DON'Ts and the DOs that fix them", "Merged items",
                    "Hidden by a facilitator", "Readings", "Timeline"):
        assert f"\n## {heading}\n" in markdown, heading
        assert f">{heading}</h2>" in page, heading
    for fragment in ("A public thank-you tells others who is worth following.", "→ fixed by", "merged into #7",
                     "gave", "of the votes on others' items"):
        assert fragment in markdown and fragment in page, fragment
    assert "`www.example.com/offer`" in markdown  # a hidden item's URL, not turned into a link
    assert "| 20 min |" in markdown


def test_the_csv_files_carry_the_same_numbers(demo: dict[str, Path]) -> None:
    document = json.loads(text(demo, "json"))
    items = {item["number"]: item for item in document["items"]}
    rows = list(csv.DictReader(io.StringIO(text(demo, "csv"))))
    assert [int(row["number"]) for row in rows] == [*sorted(items), 12]
    assert rows[-1]["status"] == "hidden"
    for row in rows[:-1]:
        item = items[int(row["number"])]
        assert row["text"] == item["text"] and int(row["votes"]) == item["votes"]
        assert {level: int(row[f"votes_{level}"]) for level in item["votes_by_level"]} == item["votes_by_level"]
    by_number = {int(row["number"]): row for row in rows}
    assert (by_number[7]["merged_from"], by_number[5]["paired_with"], by_number[2]["why"][:5]) == ("11", "2", "Every")
    levels = list(csv.DictReader(io.StringIO(text(demo, "levels.csv"))))
    assert [(row["scope"], row["level"]) for row in levels[:3]] == [
        ("level", "newcomer"), ("level", "practitioner"), ("level", "veteran")]
    assert {row["level"]: int(row["drew_votes"]) for row in levels[:3]} == {
        row["level"]: row["drew"]["votes"] for row in document["reciprocity"]["levels"]}


def test_the_end_of_session_summary_has_the_insights_too(demo: dict[str, Path]) -> None:
    summary = text(demo, "summary")
    for heading in ("Give and take:", "Why, in the authors' words:", "DON'Ts and the DOs that fix them:", "Merged items:"):
        assert heading in summary
    assert "Hidden by a facilitator" not in summary  # the room's summary: hidden items stay hidden


def test_the_validators_accept_the_demo(demo: dict[str, Path]) -> None:
    assert nu_messages(demo["html"]) == []
    status, report = markdownlint_problems(demo["md"])
    assert status == 0, report


def test_the_demo_deliberates_and_every_format_shows_it(demo: dict[str, Path]) -> None:
    """By another road: the last round is the items' votes, the movement is the difference of the
    two rounds, and the surprise is backers over voters minus predictions over predictors."""
    document = json.loads(text(demo, "json"))
    items = {item["number"]: item for item in document["items"]}
    first, second = document["rounds"]
    assert second["votes"] == {str(n): item["votes"] for n, item in items.items() if item["votes"]}
    for move in document["movement"]["items"]:
        key = str(move["number"])
        assert (move["before"], move["after"]) == (first["votes"].get(key, 0), second["votes"].get(key, 0))
    assert document["summary"]["surprise_round"] == 2  # everyone predicted in both rounds
    for number, item in items.items():
        share = sum(item["voters_by_level"].values()) / second["voters"]
        assert item["surprise"] == round(share - second["predicted"].get(str(number), 0) / second["predictors"], 4)
    assert [len(d["notes"]) for d in document["discussion"]] == [1, 1]
    markdown, page, summary = text(demo, "md"), html.unescape(text(demo, "html")), text(demo, "summary")
    for heading in ("Round 2 compared with round 1", "Surprisingly popular (round 2)", "Discussed, in agenda order"):
        assert f"\n## {heading}\n" in markdown and f">{heading}</h2>" in page and f"\n{heading}:\n" in summary, heading
    assert "Votes moved between round 1 and round 2, by level" in page  # the movement chart
    csv_header = text(demo, "csv").splitlines()[0]
    assert csv_header.endswith(",votes_round_1,surprise,status")
