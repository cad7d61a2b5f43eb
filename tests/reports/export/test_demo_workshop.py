"""The demo workshop through the real service and a SQLite file: all four exports agree."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from adapters.demo import run_demo
from facilitator.bootstrap import open_app
from tests.reports.export.test_formats import validator


async def test_demo_exports_agree_with_each_other(tmp_path: Path) -> None:
    app = await open_app(f"sqlite:///{tmp_path / 'demo.db'}")
    try:
        written = await run_demo(app.service, tmp_path / "out")
    finally:
        await app.close()
    files = {path.suffix: path for path in written}
    assert set(files) == {".md", ".csv", ".json", ".html"}

    document = json.loads(files[".json"].read_text(encoding="utf-8"))
    validator().validate(document)
    assert document["session"]["phase"] == "closed" and len(document["participants"]) == 12

    # Divergence recomputed by another road: votes by level over head counts (one vote per item each).
    people = document["summary"]["people_by_level"]
    items = {item["number"]: item for item in document["items"]}
    divergence = document["divergence"]
    assert divergence["ranked"]
    first, last = divergence["first_level"], divergence["last_level"]
    for entry in divergence["entries"]:
        votes = items[entry["item"]]["votes_by_level"]
        assert entry["first_share"] == votes[first] / people[first]
        assert entry["last_share"] == votes[last] / people[last]
    sizes = [abs(entry["difference"]) for entry in divergence["entries"]]
    assert sizes == sorted(sizes, reverse=True)
    taken = {row["level"]: row for row in document["give_and_take"]}
    for level, count in people.items():
        row = taken[level]
        assert row["contributed"] + row["only_voted"] + row["silent"] == count
        assert row["contributed"] == sum(1 for p in document["participants"] if p["level"] == level and p["items"])

    rows = list(csv.DictReader(io.StringIO(files[".csv"].read_text(encoding="utf-8"))))
    assert [int(row["number"]) for row in rows] == sorted(items)
    for row in rows:
        item = items[int(row["number"])]
        assert row["text"] == item["text"] and int(row["votes"]) == item["votes"]
        assert {level: int(row[f"votes_{level}"]) for level in item["votes_by_level"]} == item["votes_by_level"]

    markdown = files[".md"].read_text(encoding="utf-8")
    page = files[".html"].read_text(encoding="utf-8")
    for item in items.values():
        assert f"| {item['number']} |" in markdown
    assert page.count('role="img"') == 4 and "Where newcomer and veteran support differs" in page

    # Deliberation, by another road: the last round is the items' votes, the movement is the
    # difference of the two rounds, and the surprise is backers minus predictions.
    first, second = document["rounds"]
    assert second["votes"] == {str(n): item["votes"] for n, item in items.items() if item["votes"]}
    for move in document["movement"]["items"]:
        key = str(move["number"])
        assert (move["before"], move["after"]) == (first["votes"].get(key, 0), second["votes"].get(key, 0))
    scored = document["rounds"][document["summary"]["surprise_round"] - 1]
    for number, item in items.items():
        backers = sum(item["voters_by_level"].values()) if scored is second else None
        if backers is not None:
            share = backers / scored["voters"] - scored["predicted"].get(str(number), 0) / scored["predictors"]
            assert item["surprise"] == round(share, 4)
    assert [d["number"] for d in document["discussion"]] and document["discussion"][0]["notes"]
    assert "## Round 2 compared with round 1" in markdown and "Surprisingly popular" in page
