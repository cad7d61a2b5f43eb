"""Opens a page in headless Chromium over the DevTools protocol (aiohttp's websocket client)
and reports what a person's browser would: console errors, network requests, the DOM, a PNG."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import re
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--remote-debugging-port=0",
)
# Generous: these bound a hung browser, they do not time anything.
PATIENCE = 60.0


def find_chromium() -> str | None:
    for candidate in ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(candidate)
        if found:
            return found
    return None


@dataclass
class PageReport:
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    png: bytes = b""
    pdf: bytes = b""
    evaluated: dict[str, Any] = field(default_factory=dict)  # what each of `evaluate` returned


class _DevTools:
    def __init__(self, socket: aiohttp.ClientWebSocketResponse) -> None:
        self.socket = socket
        self.counter = 0
        self.waiting: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self.events: list[dict[str, Any]] = []
        self.loaded = asyncio.Event()

    async def pump(self) -> None:
        async for message in self.socket:
            data = json.loads(message.data)
            if "id" in data and data["id"] in self.waiting:
                self.waiting.pop(data["id"]).set_result(data)
                continue
            self.events.append(data)
            if data.get("method") == "Page.loadEventFired":
                self.loaded.set()

    async def call(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> dict[str, Any]:
        self.counter += 1
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.waiting[self.counter] = future
        message: dict[str, Any] = {"id": self.counter, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        await self.socket.send_str(json.dumps(message))
        reply = await asyncio.wait_for(future, PATIENCE)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        result: dict[str, Any] = reply["result"]
        return result


FACTS_SCRIPT = """JSON.stringify({
  lang: document.documentElement.lang,
  title: document.title,
  h1: document.querySelectorAll('h1').length,
  h2: [...document.querySelectorAll('h2')].map(h => h.textContent),
  charts: [...document.querySelectorAll('svg[role=img]')].map(svg => ({
    label: svg.querySelector(':scope > title')?.textContent || '',
    bars: svg.querySelectorAll('rect').length,
    width: svg.getBoundingClientRect().width,
    labelledby: svg.getAttribute('aria-labelledby') || '',
  })),
  tables: document.querySelectorAll('table').length,
  scripts: document.scripts.length,
})"""


async def open_page(
    chromium: str,
    page: Path,
    workdir: Path,
    width: int = 900,
    mobile: bool = False,
    evaluate: dict[str, str] | None = None,
) -> PageReport:
    """Loads `page` (a file), waits for its load event, and collects the report. `evaluate`: named
    JavaScript expressions run in the page once it has loaded (a promise is awaited); each must
    return a JSON string, parsed into `PageReport.evaluated`. `mobile`: a phone's viewport."""
    async with devtools(chromium, workdir) as tools:
        return await _inspect(tools, page.resolve().as_uri(), width, mobile, evaluate or {})


@asynccontextmanager
async def devtools(chromium: str, workdir: Path) -> AsyncIterator[_DevTools]:
    """A headless Chromium with a fresh profile in `workdir`, and its DevTools connection.
    The browser is stopped on the way out, whatever happened inside."""
    process = await asyncio.create_subprocess_exec(
        chromium, *FLAGS, f"--user-data-dir={workdir / 'profile'}", "about:blank",
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )
    try:
        endpoint = await asyncio.wait_for(_devtools_endpoint(process), PATIENCE)
        async with aiohttp.ClientSession() as http, http.ws_connect(endpoint, max_msg_size=0) as socket:
            tools = _DevTools(socket)
            pump = asyncio.create_task(tools.pump())
            try:
                yield tools
            finally:
                pump.cancel()
    finally:
        if process.returncode is None:
            process.terminate()
        await process.wait()


async def _devtools_endpoint(process: asyncio.subprocess.Process) -> str:
    assert process.stderr is not None
    while line := await process.stderr.readline():
        found = re.search(rb"DevTools listening on (ws://\S+)", line)
        if found:
            # Keep draining stderr so the browser never blocks on a full pipe.
            asyncio.get_running_loop().create_task(_drain(process.stderr))
            return found.group(1).decode()
    raise RuntimeError("chromium exited before opening the DevTools port")


async def _drain(stream: asyncio.StreamReader) -> None:
    while await stream.read(65536):
        pass


async def _inspect(tools: _DevTools, url: str, width: int, mobile: bool, evaluate: dict[str, str]) -> PageReport:
    target = await tools.call("Target.createTarget", {"url": "about:blank"})
    attached = await tools.call("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True})
    session = attached["sessionId"]
    for domain in ("Page", "Runtime", "Log", "Network"):
        await tools.call(f"{domain}.enable", session=session)
    await tools.call(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 1000 if not mobile else 844, "deviceScaleFactor": 1, "mobile": mobile},
        session,
    )
    tools.loaded.clear()
    await tools.call("Page.navigate", {"url": url}, session)
    await asyncio.wait_for(_loaded(tools, session, url), PATIENCE)
    evaluated = await tools.call("Runtime.evaluate", {"expression": FACTS_SCRIPT, "returnByValue": True}, session)
    report = PageReport(facts=json.loads(evaluated["result"]["value"]))
    for name, expression in evaluate.items():
        result = await tools.call(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True}, session
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{name}: {result['exceptionDetails']}")
        report.evaluated[name] = json.loads(result["result"]["value"])
    metrics = await tools.call("Page.getLayoutMetrics", session=session)
    size = metrics["cssContentSize"]
    shot = await tools.call(
        "Page.captureScreenshot",
        {"format": "png", "captureBeyondViewport": True,
         "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}},
        session,
    )
    report.png = base64.b64decode(shot["data"])
    printed = await tools.call("Page.printToPDF", {"printBackground": True}, session)
    report.pdf = base64.b64decode(printed["data"])
    # Everything the page asked for or complained about, now that it has loaded and printed.
    for event in tools.events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Network.requestWillBeSent":
            report.requests.append(params["request"]["url"])
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            report.console_errors.append(" ".join(str(arg.get("value", arg.get("description"))) for arg in params["args"]))
        elif method == "Runtime.exceptionThrown":
            report.console_errors.append(params["exceptionDetails"].get("text", "exception"))
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            report.console_errors.append(params["entry"]["text"])
    return report


async def _loaded(tools: _DevTools, session: str, url: str) -> None:
    """Waits for the load event of `url` itself: a late one from about:blank must not count."""
    check = "JSON.stringify([location.href, document.readyState])"
    while True:
        await tools.loaded.wait()
        tools.loaded.clear()
        state = await tools.call("Runtime.evaluate", {"expression": check, "returnByValue": True}, session)
        if json.loads(state["result"]["value"]) == [url, "complete"]:
            return


def keep_screenshot(png: bytes, name: str) -> None:
    """Copies the PNG where a person can look at it, when FACILITATOR_SCREENSHOT_DIR is set."""
    folder = os.environ.get("FACILITATOR_SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / name).write_bytes(png)
