"""The fake Discord gateway, served where discord.py looks for it when the shard count is fixed.

With `shard_count` given, discord.py asks no REST route for the gateway: it connects to its
built-in `wss://gateway.discord.gg/` (discord/shard.py, launch_shards). To send that to the fake
without touching the library, the bot gets an aiohttp connector (the `connector=` option that
discord.py documents for "a dns resolver or sslcontext") whose resolver answers gateway.discord.gg
with the fake's TLS port, and whose SSL context trusts a certificate made for that name here.
Certificate checks stay on; every other host name fails to resolve.
"""

from __future__ import annotations

import socket
import ssl
import subprocess
from pathlib import Path

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult

GATEWAY_HOST = "gateway.discord.gg"


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate and its key for GATEWAY_HOST (needs the openssl command)."""
    cert, key = folder / "gateway.pem", folder / "gateway-key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", f"/CN={GATEWAY_HOST}",
         "-addext", f"subjectAltName=DNS:{GATEWAY_HOST}"],
        check=True, capture_output=True,
    )
    return cert, key


def server_context(cert: Path, key: Path) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


class GatewayResolver(AbstractResolver):
    """Resolves GATEWAY_HOST to the fake's TLS port on 127.0.0.1, and nothing else."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.asked: list[str] = []

    async def resolve(self, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        self.asked.append(host)
        if host != GATEWAY_HOST:
            raise OSError(f"the fake resolves only {GATEWAY_HOST}, not {host}")
        return [{"hostname": host, "host": "127.0.0.1", "port": self.port, "family": socket.AF_INET,
                 "proto": 0, "flags": socket.AI_NUMERICHOST}]

    async def close(self) -> None:
        return None


def connector_to(port: int, cert: Path) -> aiohttp.TCPConnector:
    """What a bot is given as `connector=`: the default gateway reaches the fake, checked against `cert`."""
    return aiohttp.TCPConnector(limit=0, resolver=GatewayResolver(port), ssl=ssl.create_default_context(cafile=cert))
