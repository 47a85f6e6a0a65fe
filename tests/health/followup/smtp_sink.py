"""A local SMTP server process for the notifier tests: aiosmtpd, storing mail in a Maildir.

Usage: python smtp_sink.py MAILDIR PORTFILE [--tls CERT KEY] [--login USER PASSWORD]
Listens on 127.0.0.1 on a free port, writes that port to PORTFILE once ready, serves until
SIGTERM. With --tls it requires STARTTLS; with --login it requires AUTH (only over TLS).
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import ssl
from pathlib import Path
from typing import Any

from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


async def serve(args: argparse.Namespace) -> None:
    handler = Mailbox(args.maildir)
    tls = None
    if args.tls:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(*args.tls)
    expected = tuple(args.login or ())

    def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
        ok = (
            isinstance(data, LoginPassword)
            and (
                data.login.decode(),
                data.password.decode(),
            )
            == expected
        )
        return AuthResult(success=ok, handled=False)

    def factory() -> SMTP:
        return SMTP(
            handler,
            hostname="sink.test",
            tls_context=tls,
            require_starttls=tls is not None,
            authenticator=authenticate if expected else None,
            auth_required=bool(expected),
        )

    loop = asyncio.get_running_loop()
    server = await loop.create_server(factory, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    ready = Path(args.portfile + ".tmp")
    ready.write_text(str(port), encoding="utf-8")
    ready.rename(args.portfile)
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    async with server:
        await stop.wait()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("maildir")
    parser.add_argument("portfile")
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--login", nargs=2, metavar=("USER", "PASSWORD"))
    asyncio.run(serve(parser.parse_args()))


if __name__ == "__main__":
    main()
