"""Security headers for every page, and the cookies queued by page dependencies.

Pure ASGI (no BaseHTTPMiddleware). Pages may show health data, so none may be stored by a
browser or proxy; static assets (no data) may be cached.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.web.session import PENDING_COOKIES, Cookie, cookie_header

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
PAGE_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]
NO_STORE = (b"cache-control", b"no-store")


class WebHeaders:
    """CSP, no-store and friends on every page (everything outside /api/ and /static/)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if scope["type"] != "http" or path.startswith("/api/") or path in ("/docs", "/redoc"):
            await self.app(scope, receive, send)
            return
        static = path.startswith("/static/")
        secure = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0] != NO_STORE[0]]
                headers.extend(PAGE_HEADERS)
                if not static:
                    headers.append(NO_STORE)
                pending: list[Cookie] = scope.get(PENDING_COOKIES, [])
                headers.extend((b"set-cookie", cookie_header(c, secure)) for c in pending)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
