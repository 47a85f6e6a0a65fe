"""The reader's language for a request, from Accept-Language (zh-CN unless English is asked)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from health.i18n import Lang, negotiate


async def request_lang(request: Request) -> Lang:
    """Async on purpose: a header read should not hop to the thread pool."""
    return negotiate(request.headers.get("accept-language"))


LangDep = Annotated[Lang, Depends(request_lang)]
