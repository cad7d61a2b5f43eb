"""A live page in headless Chromium over the DevTools protocol: open a URL, read the DOM while
it changes, list every request the page made, run axe-core, take a PNG.

Built on tests/reports/export/browser.py (the same launch flags and protocol client)."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from tests.reports.export.browser import PATIENCE, _DevTools, devtools, find_chromium
from tests.reports.export.validators import AXE as AXE_JS  # npm ci, package.json


class LivePage:
    def __init__(self, tools: _DevTools, session: str) -> None:
        self.tools = tools
        self.session = session

    async def call(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return await self.tools.call(method, params, self.session)

    async def size(self, width: int, height: int) -> None:
        await self.call("Emulation.setDeviceMetricsOverride",
                        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})

    async def open(self, url: str) -> None:
        self.tools.loaded.clear()
        await self.call("Page.navigate", {"url": url})
        await asyncio.wait_for(self.tools.loaded.wait(), PATIENCE)

    async def evaluate(self, expression: str) -> Any:
        result = await self.call("Runtime.evaluate",
                                 {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    async def until(self, expression: str, within: float) -> float:
        """Waits until `expression` is truthy in the page; returns how long it took. Fails past `within`."""
        loop = asyncio.get_running_loop()
        started = loop.time()
        while not await self.evaluate(expression):
            if loop.time() - started > within:
                raise AssertionError(f"not within {within} s: {expression}")
            await asyncio.sleep(0.02)
        return loop.time() - started

    async def text(self) -> str:
        return str(await self.evaluate("document.body.innerText"))

    async def html(self) -> str:
        return str(await self.evaluate("document.documentElement.outerHTML"))

    def requests(self) -> list[str]:
        return [event["params"]["request"]["url"] for event in self.tools.events
                if event.get("method") == "Network.requestWillBeSent" and event.get("sessionId") == self.session]

    def console_errors(self) -> list[str]:
        errors = []
        for event in self.tools.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                errors.append(params["exceptionDetails"].get("text", "exception"))
            elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                errors.append(params["entry"]["text"])
        return errors

    async def axe_violations(self) -> list[dict[str, Any]]:
        """axe-core's violations on the page as it is now (every rule of the default run)."""
        if not await self.evaluate("typeof axe !== 'undefined'"):
            # DevTools evaluation is not the page's own script, so the page's CSP does not stop it.
            await self.call("Runtime.evaluate", {"expression": AXE_JS.read_text()})
        found = await self.evaluate(
            "axe.run(document, {resultTypes: ['violations']}).then(r => JSON.stringify(r.violations.map("
            "v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.html).slice(0, 3)}))))"
        )
        violations: list[dict[str, Any]] = json.loads(found)
        return violations

    async def png(self) -> bytes:
        shot = await self.call("Page.captureScreenshot", {"format": "png"})
        return base64.b64decode(shot["data"])


@asynccontextmanager
async def chromium_page(workdir: Path, width: int = 1920, height: int = 1080) -> AsyncIterator[LivePage]:
    chromium = find_chromium()
    assert chromium is not None
    async with devtools(chromium, workdir) as tools:
        target = await tools.call("Target.createTarget", {"url": "about:blank"})
        attached = await tools.call("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True})
        page = LivePage(tools, attached["sessionId"])
        for domain in ("Page", "Runtime", "Log", "Network"):
            await page.call(f"{domain}.enable")
        await page.size(width, height)
        yield page
