"""Sessions, CSRF, caching and CSP of the pages (acceptance 4), against the real app."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from test_page_authorization import page_routes
from webclient import csrf, signed_in, token_of
from world import PASSWORD, World

from api.web.headers import CSP
from models.tables import AppUser, AuditEvent

HEALTH_PAGES = {
    "officer": ["/me", "/me/access"],
    "medic": ["/officers", "/tasks", "/checkups/new", "/uploads"],
    "unit_manager": ["/tasks", "/units"],
}


def _count(world: World, model: type) -> int:
    with world.runtime.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_every_form_posted_without_its_csrf_token_is_refused(world: World) -> None:
    """Every state-changing page route, with a live session but no token: 403, nothing done."""
    browser = signed_in(world, "admin")
    users_before = _count(world, AppUser)
    posts = [path for method, path in page_routes() if method == "POST"]
    assert "/admin/users" in posts and "/logout" in posts
    for path in posts:
        url = path.replace("{task_id}", str(next(iter(world.tasks.values())))).replace(
            "{user_id}", str(world.spare_user)
        )
        response = browser.post(
            url,
            data={"username": "csrf-victim", "role": "auditor", "password": "long enough 12"},
            follow_redirects=False,
        )
        assert response.status_code == 403, (path, response.status_code)
        assert "csrf_token" not in response.headers.get("location", "")
    assert _count(world, AppUser) == users_before
    assert browser.get("/admin/users").status_code == 200  # still signed in: logout refused too


def test_a_token_from_another_browser_is_refused(world: World) -> None:
    mine = signed_in(world, "admin")
    theirs = signed_in(world, "admin")
    foreign = token_of(theirs, "/admin/users")
    response = mine.post(
        "/admin/units",
        data={"csrf_token": foreign, "code": "X1", "name": "X", "kind": "station"},
        follow_redirects=False,
    )
    assert response.status_code == 403


def test_pages_with_health_data_are_no_store_and_every_page_has_the_csp(world: World) -> None:
    for role, paths in HEALTH_PAGES.items():
        browser = signed_in(world, role)
        for path in paths:
            response = browser.get(path)
            assert response.status_code == 200, (role, path)
            assert response.headers["cache-control"] == "no-store", (role, path)
            assert response.headers["content-security-policy"] == CSP
            assert response.headers["x-frame-options"] == "DENY"
    assert "'unsafe-inline'" not in CSP and "script-src 'self'" in CSP
    login = world.client.get("/login")
    assert login.headers["content-security-policy"] == CSP
    asset = world.client.get("/static/app.css")
    assert asset.status_code == 200 and asset.headers.get("cache-control") != "no-store"


def test_no_page_has_an_inline_script_or_style(world: World) -> None:
    """What the CSP would block: inline <script> bodies, on* handlers, style attributes."""
    for role, paths in HEALTH_PAGES.items():
        browser = signed_in(world, role)
        for path in paths:
            html = browser.get(path).text
            assert "<script>" not in html and " onclick=" not in html and " style=" not in html


def test_session_cookies_are_httponly_lax_and_secure_only_over_tls(world: World) -> None:
    for base, secure in (("http://testserver", False), ("https://testserver", True)):
        browser = signed_in(world, "officer", base_url=base)
        token = token_of(browser)
        response = browser.post(
            "/login",
            data={
                "username": world.usernames["officer"],
                "password": PASSWORD,
                "csrf_token": token,
            },
            follow_redirects=False,
        )
        cookies = response.headers.get_list("set-cookie")
        assert {c.split("=")[0] for c in cookies} >= {"oh_session", "oh_refresh"}
        for cookie in cookies:
            assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
            assert ("Secure" in cookie) is secure


def test_an_expired_access_cookie_is_renewed_from_the_refresh_cookie(world: World) -> None:
    refresh = signed_in(world, "officer").cookies.get("oh_refresh")
    assert refresh
    browser = TestClient(world.client.app)
    browser.cookies.set("oh_refresh", refresh)
    browser.cookies.set("oh_session", "not-a-valid-token")
    response = browser.get("/me", follow_redirects=False)
    assert response.status_code == 200
    renewed = [c for c in response.headers.get_list("set-cookie") if c.startswith("oh_session=")]
    assert renewed and "not-a-valid-token" not in renewed[0]


def test_without_a_session_a_page_sends_to_sign_in_and_back(world: World) -> None:
    response = world.client.get("/tasks?type=recheck", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/tasks?type=recheck"


def test_sign_out_everywhere_ends_the_other_browsers_session(world: World) -> None:
    phone = signed_in(world, "medic")
    office = signed_in(world, "medic")
    response = office.post(
        "/logout/everywhere",
        data={"csrf_token": token_of(office, "/tasks")},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert phone.get("/tasks", follow_redirects=False).status_code == 303
    with world.runtime.sessions() as session:
        actions = session.scalars(select(AuditEvent.action)).all()
    assert "auth.logout_all" in actions


def test_a_refused_form_keeps_what_was_typed_and_says_why(world: World) -> None:
    browser = signed_in(world, "medic")
    form = {
        "csrf_token": token_of(browser, "/officers"),
        "unit_id": str(world.unit_in),
        "badge_number": world.badges[world.in_scope],
        "name": "Foxtrot Typedin",
        "birth_date": "1990-02-03",
        "sex": "F",
    }
    response = browser.post("/officers", data=form, headers={"Accept-Language": "en"})
    assert response.status_code == 409
    assert "Foxtrot Typedin" in response.text and "1990-02-03" in response.text
    assert "This badge number is already registered." in response.text


def test_a_problem_is_a_friendly_page_with_what_to_do_next(world: World) -> None:
    browser = signed_in(world, "medic")
    response = browser.get(f"/officers/{world.out_of_scope}", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "No officer found that you may see." in response.text
    assert 'href="/"' in response.text
    assert world.names[world.out_of_scope] not in response.text


def test_wrong_password_is_refused_counted_and_the_username_kept(world: World) -> None:
    response = world.client.post(
        "/login",
        data={
            "username": world.usernames["medic"],
            "password": "wrong",
            "csrf_token": csrf(world.client.get("/login").text),
        },
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 401
    assert "Wrong username or password." in response.text
    assert f'value="{world.usernames["medic"]}"' in response.text
    with world.runtime.sessions() as session:
        user = session.scalar(select(AppUser).where(AppUser.username == world.usernames["medic"]))
        assert user is not None and user.failed_logins == 1
