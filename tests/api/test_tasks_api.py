"""Follow-up over HTTP: the loop closes by itself, ETags guard concurrent moves, retries replay."""

from __future__ import annotations

import threading
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from world import World

from models.tables import AuditEvent, Task, TaskEvent


def _worklist(world: World, role: str, **params: Any) -> list[dict[str, Any]]:
    response = world.client.get("/api/v1/tasks", params=params, headers=world.headers(role))
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def _upload(world: World, officer: uuid.UUID, exam_date: str, glu: float) -> str:
    response = world.client.post(
        "/api/v1/checkups",
        json={"officer_id": str(officer), "exam_date": exam_date, "results": {"glu": glu}},
        headers=world.headers("medic"),
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _glucose(items: list[dict[str, Any]], officer: uuid.UUID, kind: str) -> list[dict[str, Any]]:
    return [
        t
        for t in items
        if t["officer_id"] == str(officer) and t["family"] == "glucose" and t["type"] == kind
    ]


def _count(world: World, table: Any) -> int:
    with world.runtime.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def test_recheck_task_closes_itself_when_normal_and_refers_when_still_abnormal(
    world: World,
) -> None:
    """Acceptance 1: abnormal glucose → recheck in the medic's worklist → normal recheck
    completes it with the link; a still-abnormal recheck completes it and opens a referral."""
    items = _worklist(world, "medic", type="recheck", status="requested")
    (normal_case,) = _glucose(items, world.in_scope, "recheck")
    (abnormal_case,) = _glucose(items, world.own, "recheck")
    # 14 days from when the task was created, not from the exam of 2026-03-03 (which made a
    # back-dated import overdue on arrival)
    created = datetime.fromisoformat(normal_case["created_at"].replace("Z", "+00:00"))
    due = datetime.fromisoformat(normal_case["due"].replace("Z", "+00:00"))
    assert abs(due - created - timedelta(days=14)) < timedelta(minutes=1)

    recheck_id = _upload(world, world.in_scope, "2026-03-17", 5.1)
    done = world.client.get(
        f"/api/v1/tasks/{normal_case['id']}", headers=world.headers("medic")
    ).json()
    assert (done["status"], done["outcome"]) == ("completed", "done_with_result")
    assert done["result_checkup_id"] == recheck_id
    assert done["reason_text"]["en"].startswith("Recheck glucose")

    _upload(world, world.own, "2026-03-17", 7.9)
    after = _worklist(world, "medic", status="requested")
    (referral,) = _glucose(after, world.own, "referral")
    assert referral["based_on_id"] == abnormal_case["id"]
    closed = world.client.get(
        f"/api/v1/tasks/{abnormal_case['id']}", headers=world.headers("medic")
    ).json()
    assert closed["status"] == "completed"


def test_manager_worklist_and_csv_show_no_officer_family_or_reason(world: World) -> None:
    items = _worklist(world, "unit_manager", sort="-priority")
    assert items and all(t["officer_id"] is None and t["family"] is None for t in items)
    assert {t["unit_id"] for t in items} <= {str(world.unit_in), str(world.units[world.own])}
    csv = world.client.get(
        "/api/v1/tasks", params={"format": "csv"}, headers=world.headers("unit_manager")
    )
    assert csv.status_code == 200
    assert csv.headers["content-type"].startswith("text/csv")
    header, *rows = csv.text.strip().splitlines()
    assert header == "id,unit_id,unit_code,unit_name,type,status,priority,due,overdue,version"
    assert len(rows) == len(items)
    assert "glucose" not in csv.text and "confirm" not in csv.text


def test_page_size_is_capped(world: World) -> None:
    response = world.client.get(
        "/api/v1/tasks", params={"page_size": 1000}, headers=world.headers("medic")
    )
    assert response.status_code == 422


def _task(world: World) -> str:
    (task,) = _glucose(_worklist(world, "medic", type="recheck"), world.in_scope, "recheck")
    return str(task["id"])


def test_move_without_if_match_is_428_and_with_stale_etag_412(world: World) -> None:
    task_id = _task(world)
    url, headers = f"/api/v1/tasks/{task_id}/transitions", world.headers("medic")
    missing = world.client.post(url, json={"action": "accept"}, headers=headers)
    assert missing.status_code == 428
    etag = world.client.get(f"/api/v1/tasks/{task_id}", headers=headers).headers["ETag"]
    ok = world.client.post(url, json={"action": "accept"}, headers={**headers, "If-Match": etag})
    assert ok.status_code == 200 and ok.headers["ETag"] != etag
    stale = world.client.post(url, json={"action": "start"}, headers={**headers, "If-Match": etag})
    assert stale.status_code == 412


def test_two_clients_completing_at_once_exactly_one_wins(world: World) -> None:
    """Acceptance 2a: both read the same ETag, both complete; one 200, the other 412."""
    task_id = _task(world)
    headers = world.headers("medic")
    etag = world.client.get(f"/api/v1/tasks/{task_id}", headers=headers).headers["ETag"]
    body = {"action": "complete", "outcome": "done_with_result", "why": "rechecked by phone"}
    barrier, statuses = threading.Barrier(2), []

    def complete() -> None:
        barrier.wait()
        response = world.client.post(
            f"/api/v1/tasks/{task_id}/transitions",
            json=body,
            headers={**headers, "If-Match": etag},
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=complete) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 412]
    with world.runtime.sessions() as session:
        completes = session.scalar(
            select(func.count())
            .select_from(TaskEvent)
            .where(TaskEvent.task_id == uuid.UUID(task_id), TaskEvent.action == "complete")
        )
        assert completes == 1


def test_retried_completion_with_the_same_key_replays_and_writes_nothing(world: World) -> None:
    """Acceptance 2b: same Idempotency-Key → same response, no new rows; another body → 422."""
    task_id = _task(world)
    headers = world.headers("medic")
    etag = world.client.get(f"/api/v1/tasks/{task_id}", headers=headers).headers["ETag"]
    body = {"action": "complete", "outcome": "done_with_result", "why": "normal on repeat"}
    send = {**headers, "If-Match": etag, "Idempotency-Key": "complete-1"}
    url = f"/api/v1/tasks/{task_id}/transitions"
    first = world.client.post(url, json=body, headers=send)
    assert first.status_code == 200
    counts = (_count(world, TaskEvent), _count(world, AuditEvent))
    again = world.client.post(url, json=body, headers=send)
    assert (again.status_code, again.json()) == (200, first.json())
    assert (_count(world, TaskEvent), _count(world, AuditEvent)) == counts
    other = world.client.post(url, json={**body, "why": "something else"}, headers=send)
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"


def test_critical_urgent_contact_needs_an_acknowledgement(world: World) -> None:
    _upload(world, world.in_scope, "2026-03-18", 30.0)
    (urgent,) = _glucose(_worklist(world, "medic"), world.in_scope, "urgent_contact")
    assert urgent["critical"] is True
    headers = {**world.headers("medic"), "If-Match": f'"{urgent["version"]}"'}
    url = f"/api/v1/tasks/{urgent['id']}/transitions"
    bare = world.client.post(
        url, json={"action": "complete", "outcome": "done_with_result"}, headers=headers
    )
    assert (bare.status_code, bare.json()["code"]) == (400, "acknowledgement_required")
    ack = world.client.post(
        url,
        json={"action": "complete", "outcome": "done_with_result", "why": "called, in ED"},
        headers=headers,
    )
    assert ack.status_code == 200
    with world.runtime.sessions() as session:
        task = session.get(Task, uuid.UUID(urgent["id"]))
        assert task is not None and b"called, in ED" not in task.detail


def test_officer_sees_own_tasks_with_plain_reason(world: World) -> None:
    response = world.client.get("/api/v1/me/tasks", headers=world.headers("officer"))
    assert response.status_code == 200
    mine = response.json()
    assert mine and all(
        set(t) == {"id", "type", "status", "due", "overdue", "reason", "type_name", "status_name"}
        for t in mine
    )
    assert any(t["reason"] and t["reason"]["en"] for t in mine)
    assert {(t["type_name"]["zh"], t["status_name"]["zh"]) for t in mine} >= {("复查", "待处理")}
