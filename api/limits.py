"""Request bodies: a size limit per route, enforced before and while the body is read, and
JSON nesting refused before a parser recurses into it.

JSON routes take small bodies (``max_json_bytes``): a larger declared length is refused before
a byte is read, and a body that grows past it while streaming is cut off. Upload routes take
up to ``max_upload_bytes``; they authorize the caller first and check the declared length
themselves (an officer's upload is a 403 whatever its size), while this middleware still
counts what is actually streamed.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import BodyTooLarge, localised
from health.ingest.limits import LimitExceeded, check_json_depth

BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class BodyLimits:
    def __init__(
        self,
        app: ASGIApp,
        *,
        json_limit: int,
        upload_limit: int,
        max_depth: int,
        upload_paths: frozenset[str],
    ) -> None:
        self.app = app
        self.json_limit = json_limit
        self.upload_limit = upload_limit
        self.max_depth = max_depth
        self.upload_paths = upload_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        upload = scope["path"] in self.upload_paths
        limit = self.upload_limit if upload or _is_multipart(scope) else self.json_limit
        declared = declared_length(scope)
        if not upload and declared is not None and declared > limit:
            await _refuse(scope, send, BodyTooLarge(limit))
            return
        if upload or not _is_json(scope):
            await self.app(scope, _counting(receive, limit), send)
            return
        body = await _read_all(scope, receive, limit, send)
        if body is None:
            return
        try:
            check_json_depth(body, self.max_depth)
        except LimitExceeded as exc:
            await _send(send, localised(Request(scope), 400, "too_deep", str(exc)))
            return
        await self.app(scope, _replay(body, receive), send)


def _content_type(scope: Scope) -> bytes:
    for name, value in scope.get("headers", ()):
        if name == b"content-type":
            return bytes(value).lower()
    return b""


def _is_json(scope: Scope) -> bool:
    return b"json" in _content_type(scope)


def _is_multipart(scope: Scope) -> bool:
    """Forms with files (web pages) get the upload limit; still counted while streamed."""
    return _content_type(scope).startswith(b"multipart/")


def _counting(receive: Receive, limit: int) -> Receive:
    seen = 0

    async def counted() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge(limit)
        return message

    return counted


async def _read_all(scope: Scope, receive: Receive, limit: int, send: Send) -> bytes | None:
    chunks: list[bytes] = []
    seen = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None  # the client went away
        chunk = message.get("body", b"")
        seen += len(chunk)
        if seen > limit:
            await _refuse(scope, send, BodyTooLarge(limit))
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


async def _refuse(scope: Scope, send: Send, exc: BodyTooLarge) -> None:
    response = localised(Request(scope), 413, "too_large", str(exc.detail), limit=exc.limit)
    await _send(send, response)


async def _send(send: Send, response: Response) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": response.status_code,
            "headers": response.raw_headers,
        }
    )
    await send({"type": "http.response.body", "body": response.body})
