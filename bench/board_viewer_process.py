"""The screens of figure 7, in a process of their own so that reading 200 streams is not done
on the bot's event loop. Commands on stdin, one a line; answers on stdout:

    open URL N   -> opens N event streams on the board URL; "ready N" once each has its first frame
    close        -> closes them; "closed FRAMES BYTES" (board frames the streams received meanwhile,
                    and their bytes)
"""

from __future__ import annotations

import asyncio
import sys

import aiohttp


async def _stream(http: aiohttp.ClientSession, url: str, first: asyncio.Event, frames: list[int]) -> None:
    async with http.get(url) as response:
        while True:
            block = await response.content.readuntil(b"\n\n")
            if block.startswith(b"event: parts"):
                frames[0] += 1
                frames[1] += len(block)
                first.set()


async def main() -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0),
                                     timeout=aiohttp.ClientTimeout(total=None)) as http:
        tasks: list[asyncio.Task[None]] = []
        frames = [0, 0]  # frames, bytes
        while line := (await reader.readline()).decode().strip():
            if line.startswith("open "):
                _, url, count = line.split()
                firsts = [asyncio.Event() for _ in range(int(count))]
                frames[:] = [0, 0]
                tasks = [asyncio.create_task(_stream(http, url, first, frames)) for first in firsts]
                await asyncio.gather(*(first.wait() for first in firsts))
                print(f"ready {count}", flush=True)
            elif line == "close":
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
                print(f"closed {frames[0]} {frames[1]}", flush=True)


if __name__ == "__main__":
    asyncio.run(main())
