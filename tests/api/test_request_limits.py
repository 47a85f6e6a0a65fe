"""Bodies are bounded per route and refused before they are parsed: uploads are authorized
before a byte is read, JSON is small and shallow, a workbook is judged by its zip directory,
and error lists echo a bounded number of bounded values (issue 9, defects 2 and 8)."""

from __future__ import annotations

import asyncio
import io
import json
import time
import zipfile
from collections.abc import Sequence
from typing import Any

import pytest
from world import World

from api.admission import Admission
from health.ingest.limits import (
    LimitExceeded,
    XlsxLimits,
    check_json_depth,
    check_xlsx_archive,
    json_depth,
)

IMPORT = "/api/v1/checkups/import"
MB = 1024 * 1024


def zip_bomb(inflated_mb: int = 64) -> bytes:
    """A workbook-shaped zip whose sheet inflates ~1000:1 (the shape of the 342 MB one)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            row = b"<row><c><v>0</v></c></row>" * 4096
            for _ in range(inflated_mb * MB // len(row)):
                sheet.write(row)
    return out.getvalue()


def deep_json(levels: int = 100_000) -> bytes:
    head = b'{"resourceType": "Bundle", "type": "collection", "x": '
    return head + b"[" * levels + b"]" * levels + b"}"


def asgi(
    world: World, method: str, path: str, headers: dict[str, str], chunks: Sequence[bytes]
) -> tuple[int, dict[str, str], bytes, int]:
    """Call the app directly, counting how many body bytes it actually pulled."""
    consumed = 0

    async def run() -> list[dict[str, Any]]:
        nonlocal consumed
        pending = list(chunks)
        sent: list[dict[str, Any]] = []

        async def receive() -> dict[str, Any]:
            nonlocal consumed
            if not pending:
                await asyncio.sleep(3600)
            chunk = pending.pop(0)
            consumed += len(chunk)
            return {"type": "http.request", "body": chunk, "more_body": bool(pending)}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
            "client": ("127.0.0.1", 50000),
            "server": ("testserver", 80),
        }
        await world.client.app(scope, receive, send)  # type: ignore[arg-type]
        return sent

    sent = world.client.portal.call(run)  # type: ignore[union-attr]
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    response_headers = {k.decode(): v.decode() for k, v in start["headers"]}
    return start["status"], response_headers, body, consumed


def _upload_headers(world: World, role: str, size: int) -> dict[str, str]:
    return {
        "authorization": f"Bearer {world.login(role)}",
        "content-type": "multipart/form-data; boundary=xyz",
        "content-length": str(size),
    }


@pytest.mark.parametrize("role", ["officer", "unit_manager", "auditor", "admin"])
def test_an_upload_from_a_role_that_may_not_import_is_refused_before_its_body_is_read(
    world: World, role: str
) -> None:
    chunks = [b"x" * MB] * 20
    status, _, body, consumed = asgi(
        world, "POST", IMPORT, _upload_headers(world, role, 20 * MB), chunks
    )
    assert status == 403, body
    assert consumed == 0, f"the server read {consumed} bytes before refusing"
    assert json.loads(body)["code"] == "role_forbidden"


def test_a_medic_upload_declared_past_the_limit_is_refused_before_its_body_is_read(
    world: World,
) -> None:
    limit = world.runtime.settings.max_upload_bytes
    status, _, body, consumed = asgi(
        world, "POST", IMPORT, _upload_headers(world, "medic", limit + 1), [b"x" * MB]
    )
    assert (status, consumed) == (413, 0)
    problem = json.loads(body)
    assert (problem["code"], problem["limit"]) == ("too_large", f"{limit // MB} MB")


def test_a_medic_upload_streamed_past_the_limit_is_cut_off(world: World) -> None:
    limit = world.runtime.settings.max_upload_bytes
    headers = _upload_headers(world, "medic", 0)
    del headers["content-length"]
    part = b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n'
    chunks = [part] + [b"x" * MB] * (limit // MB + 4)
    status, _, body, consumed = asgi(world, "POST", IMPORT, headers, chunks)
    assert status == 413, body
    assert consumed <= limit + MB


def test_a_json_body_declared_past_the_limit_is_refused_unread(world: World) -> None:
    headers = {
        "authorization": f"Bearer {world.login('medic')}",
        "content-type": "application/json",
        "content-length": str(100 * MB),
    }
    status, _, body, consumed = asgi(world, "POST", "/api/v1/checkups", headers, [b"{"] * 10)
    assert (status, consumed) == (413, 0)
    assert json.loads(body)["limit"] == "1 MB"


def test_an_unauthenticated_chunked_json_body_is_cut_off_at_the_limit(world: World) -> None:
    headers = {"content-type": "application/json"}
    chunks = [b" " * MB] * 100
    status, _, _, consumed = asgi(world, "POST", "/api/v1/checkups", headers, chunks)
    assert status == 413
    assert consumed <= 2 * MB


def test_deeply_nested_json_is_a_400_not_a_recursion_error(world: World) -> None:
    response = world.client.post(
        "/api/v1/checkups",
        content=b"[" * 100_000 + b"]" * 100_000,
        headers={
            **world.headers("medic"),
            "content-type": "application/json",
            "accept-language": "en",
        },
    )
    assert response.status_code == 400
    assert response.json()["code"] == "too_deep"
    assert "limit is 64" in response.json()["detail"]


def test_a_deep_fhir_bundle_from_a_medic_is_refused_with_the_limit_named(world: World) -> None:
    started = time.perf_counter()
    response = world.client.post(
        IMPORT,
        params={"dry_run": "true"},
        headers=world.headers("medic"),
        files={"file": ("bundle.json", deep_json(), "application/fhir+json")},
    )
    assert time.perf_counter() - started < 5
    assert response.status_code in (200, 400), response.text
    reasons = [e["reason"] for e in response.json()["errors"]]
    assert any("nested 100001 levels deep; the limit is 64" in r for r in reasons), reasons


def test_a_zip_bomb_from_a_medic_is_refused_by_its_directory(world: World) -> None:
    bomb = zip_bomb()
    assert len(bomb) < 1 * MB
    started = time.perf_counter()
    response = world.client.post(
        IMPORT,
        params={"dry_run": "true"},
        headers=world.headers("medic"),
        files={"file": ("session.xlsx", bomb, "application/octet-stream")},
    )
    assert time.perf_counter() - started < 5
    assert response.status_code in (200, 400), response.text
    reasons = " ".join(e["reason"] for e in response.json()["errors"])
    assert "the limit is 200:1 (a zip bomb?)" in reasons


def test_error_lists_echo_a_bounded_number_of_clipped_values(world: World) -> None:
    results: dict[str, Any] = {f"unknown_{i}": 1 for i in range(5000)}
    results["glu"] = "9" * 200_000
    body = {"officer_id": str(world.in_scope), "exam_date": "2026-04-01", "results": results}
    response = world.client.post("/api/v1/checkups", json=body, headers=world.headers("medic"))
    assert response.status_code in (400, 422), response.text
    problem = response.json()
    assert len(response.content) < 20_000, f"{len(response.content)} bytes of errors"
    assert problem["error_count"] >= 5000
    assert len(problem["errors"]) <= 50
    assert all(len(str(e.get("value", ""))) <= 81 for e in problem["errors"])


def test_json_depth_ignores_brackets_inside_strings() -> None:
    assert json_depth(b'{"a": "[[[[{{{{", "b": [1, [2]], "c": "\\"]"}') == 3
    assert json_depth(b"42") == 0
    check_json_depth(b"[" * 64 + b"]" * 64)
    with pytest.raises(LimitExceeded, match="nested 65 levels deep"):
        check_json_depth(b"[" * 65 + b"]" * 65)


def test_a_workbook_declaring_more_than_the_inflated_limit_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<row/>" * 200_000)
    with pytest.raises(LimitExceeded, match="inflates to 1 MB; the limit is 0 MB"):
        check_xlsx_archive(out.getvalue(), XlsxLimits(max_uncompressed=1024))


def test_requests_past_the_in_flight_limit_get_503_with_retry_after() -> None:
    release = asyncio.Event()

    async def slow_app(scope: Any, receive: Any, send: Any) -> None:
        await release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    gate = Admission(slow_app, limit=1, timeout=0.2, retry_after=3)

    async def call() -> list[dict[str, Any]]:
        sent: list[dict[str, Any]] = []

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        scope = {"type": "http", "path": "/api/v1/me", "headers": []}
        await gate(scope, None, send)  # type: ignore[arg-type]
        return sent

    async def scenario() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        first = asyncio.create_task(call())
        await asyncio.sleep(0.01)
        second = await call()
        release.set()
        return await first, second

    first, second = asyncio.run(scenario())
    assert first[0]["status"] == 200
    assert second[0]["status"] == 503
    assert (b"retry-after", b"3") in second[0]["headers"]
