"""The record, trends and grouped findings over HTTP, in the reader's language, and problem
responses in the language of Accept-Language across the API."""

from __future__ import annotations

from world import World


def test_officer_reads_record_trends_and_problems_in_chinese_and_english(world: World) -> None:
    medic, officer = world.headers("medic"), world.headers("officer")
    later = {
        "officer_id": str(world.own),
        "exam_date": "2026-09-03",  # an exam after today is refused
        "results": {"glu": 3.8, "sbp": 150, "dbp": 95, "weight": 70, "height": 172},
    }
    assert world.client.post("/api/v1/checkups", json=later, headers=medic).status_code == 201

    zh = world.client.get("/api/v1/me/record", headers=officer)
    assert zh.status_code == 200, zh.text
    assert zh.headers["content-language"] == "zh-CN"
    assert zh.headers["cache-control"] == "no-store"
    body = zh.json()
    assert (body["exam_date"], body["previous_exam_date"]) == ("2026-09-03", "2026-03-03")
    lines = {r["code"]: r for s in body["sections"] for r in s["results"]}
    assert lines["glu"]["name"] == "空腹血糖" and lines["glu"]["flag"] == "L"
    assert lines["glu"]["previous"]["display"] == "7.31"
    assert lines["bmi"]["derived"] and [i["code"] for i in lines["bmi"]["inputs"]] == [
        "weight",
        "height",
    ]
    problems = {p["key"]: p for p in body["problems"]}
    low_sugar = problems["glucose:glucose_low"]
    # Level 1 hypoglycaemia plans a contact; last year's open glucose recheck is decided by this
    # checkup (still abnormal) and a referral follows.
    contact, referral = low_sugar["next_steps"]
    assert (contact["type"], contact["type_name"]) == ("urgent_contact", "医务人员紧急联系")
    assert contact["reason"] == "空腹血糖低于3.9 mmol/L，医务人员3天内联系本人"
    assert (referral["type_name"], referral["reason"]) == ("专科就诊", "复查结果仍异常，需专科就诊")
    assert low_sugar["clinical"] is None

    en = world.client.get(
        "/api/v1/me/record", headers={**officer, "Accept-Language": "en-GB,en;q=0.9"}
    )
    assert en.headers["content-language"] == "en"
    assert {s["name"] for s in en.json()["sections"]} >= {"Vital signs and body measures"}

    trends = world.client.get("/api/v1/me/trends?analytes=glu,sbp", headers=officer).json()
    assert [(t["code"], [p["value"] for p in t["points"]]) for t in trends] == [
        ("glu", [7.31, 3.8]),
        ("sbp", [151.0, 150.0]),
    ]
    grouped = world.client.get("/api/v1/me/findings/grouped", headers=officer).json()
    assert [p["key"] for p in grouped] == [p["key"] for p in body["problems"]]

    findings = world.client.get("/api/v1/me/findings", headers=officer).json()
    assert {f["source"] for f in findings} >= {"《中国2型糖尿病防治指南》（2020年版）"}
    assert not any("DEPLOYMENT" in f["source"] or "issue" in f["source"] for f in findings)

    medic_view = world.client.get(f"/api/v1/officers/{world.own}/findings/grouped", headers=medic)
    assert all(p["clinical"] for p in medic_view.json() if p["title"])


def test_problem_responses_follow_accept_language(world: World) -> None:
    officer = world.headers("officer")
    zh = world.client.get("/api/v1/me/trends?analytes=nope", headers=officer)
    assert zh.status_code == 400
    assert zh.headers["content-type"].startswith("application/problem+json")
    assert (zh.json()["code"], zh.headers["content-language"]) == ("bad_analytes", "zh-CN")
    assert (
        zh.json()["title"] == zh.json()["detail"] == "请求的检查项目代码有误，请使用目录中的代码。"
    )
    en = world.client.get(
        "/api/v1/me/trends?analytes=nope", headers={**officer, "Accept-Language": "en"}
    )
    assert en.json()["title"].startswith("Unknown analyte codes were asked for")
    assert en.headers["content-language"] == "en"
    missing = world.client.get("/api/v1/me")
    assert (missing.status_code, missing.json()["title"]) == (401, "需要登录后才能访问。")
    invalid = world.client.post(
        "/api/v1/auth/token", data={}, headers={"Accept-Language": "en;q=0.5, zh;q=0.8"}
    )
    assert (invalid.status_code, invalid.json()["code"]) == (422, "validation_error")
    assert invalid.json()["title"] == "请求的字段或参数有误，详见错误列表。"
    bad = world.client.post(
        "/api/v1/checkups",
        json={"officer_id": str(world.own), "exam_date": "2027-01-05", "results": {"height": 900}},
        headers=world.headers("medic"),
    )
    assert (bad.status_code, bad.json()["code"]) == (400, "invalid_checkup")
    (row,) = bad.json()["errors"]
    assert (row["field"], row["code"]) == ("height", "implausible_value")
    assert row["message"] == "数值超出生理可能范围，请核对数值和单位。"
