"""How every printed report leaves the API: the query that picks its language, its OpenAPI
description and the response with language and file name."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query, Response

from health.i18n import CONTENT_LANGUAGE, Lang

LangQuery = Annotated[
    Literal["zh", "en"] | None,
    Query(description="Report language (default: from Accept-Language, zh-CN otherwise)"),
]
PDF_RESPONSE: dict[int | str, dict[str, object]] = {
    200: {"content": {"application/pdf": {}}, "description": "The report as an A4 PDF"}
}


def pdf_response(content: bytes, lang: Lang, filename: str) -> Response:
    """The PDF shown inline, named, in the language it was written in."""
    return Response(
        content=content,
        media_type="application/pdf",
        headers={
            "Content-Language": CONTENT_LANGUAGE[lang],
            "Content-Disposition": f'inline; filename="{filename}"',
        },
    )
