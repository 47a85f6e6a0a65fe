"""The OpenAPI document tells the truth about answers (issue 9, #11 "OpenAPI drift")."""

from __future__ import annotations

from world import World


def test_wrong_method_is_405_with_allow_as_problem_json(world: World) -> None:
    response = world.client.delete("/api/v1/users", headers=world.headers("admin"))
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"
    assert set(response.headers["allow"].replace(" ", "").split(",")) == {"GET", "POST"}


def test_worklist_sort_is_an_enum_and_due_to_must_be_a_date(world: World) -> None:
    medic = world.headers("medic")
    assert world.client.get("/api/v1/tasks?sort=-priority", headers=medic).status_code == 200
    assert world.client.get("/api/v1/tasks?sort=name", headers=medic).status_code == 422
    assert world.client.get("/api/v1/tasks?due_to=0.5", headers=medic).status_code == 422
    ok = world.client.get("/api/v1/tasks?due_to=2026-12-31", headers=medic)
    assert ok.status_code == 200
    document = world.client.get("/openapi.json").json()
    parameters = document["paths"]["/api/v1/tasks"]["get"]["parameters"]
    sort = next(p for p in parameters if p["name"] == "sort")
    assert "-due" in sort["schema"]["enum"]


def test_every_operation_documents_its_problems_as_problem_json(world: World) -> None:
    document = world.client.get("/openapi.json").json()
    for path, item in document["paths"].items():
        if not path.startswith("/api/"):
            continue
        for method, operation in item.items():
            for status in ("401", "403", "404", "422"):
                content = operation["responses"][status].get("content", {})
                assert "application/problem+json" in content, (method, path, status)
