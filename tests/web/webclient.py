"""Signing in to the pages as a browser would (cookies + the form's CSRF token)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from world import PASSWORD, World

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf(page_html: str) -> str:
    found = TOKEN.search(page_html)
    assert found is not None, "the page has no form with a CSRF token"
    return found.group(1)


def signed_in(world: World, role: str, *, base_url: str = "http://testserver") -> TestClient:
    """A new browser (own cookie jar) signed in as the role's account."""
    client = TestClient(world.client.app, base_url=base_url)
    token = csrf(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": world.usernames[role], "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return client


def token_of(client: TestClient, path: str = "/login") -> str:
    return csrf(client.get(path).text)
