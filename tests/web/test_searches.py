"""The saved-searches pages (``/searches``) in-process on both backends: "save this search" from a
query, the query's mistake shown in Persian with its column, edit, delete, roles and CSRF."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from storage.saved_searches import SavedSearch
from tests.web.conftest import csrf_of, log_in


def _form(csrf: str, **values: str) -> dict[str, str]:
    return {"csrf_token": csrf, "name": "دیرکرد سبزینو", "query": "brand:sabzino دیر", "sharing": "everyone",
            "rule_enabled": "on", "rule_per_hour": "۵", "rule_min_followers": "", **values}  # fmt: skip


def _rows(engine: Engine) -> list[SavedSearch]:
    with Session(engine) as session:
        return list(session.scalars(select(SavedSearch).order_by(SavedSearch.id)))


def test_an_analyst_saves_edits_and_deletes_a_search(web: TestClient, engine: Engine) -> None:
    log_in(web, "ali")
    page = web.get("/searches/new", params={"q": 'brand:sabzino "دیر رسید"'})
    assert page.status_code == 200 and 'value="brand:sabzino &#34;دیر رسید&#34;"' in page.text
    csrf = csrf_of(page.text)

    bad = web.post("/searches/new", data=_form(csrf, query="سبزینو AND (دیر"))
    assert bad.status_code == 400
    assert "خطا در جستجو، ستون ۱۶" in bad.text and "«)» کم است" in bad.text
    assert 'class="caret"' in bad.text and _rows(engine) == []
    not_a_number = web.post("/searches/new", data=_form(csrf, rule_per_hour="پنج"))
    assert not_a_number.status_code == 400 and "«پنج» عدد صحیح نیست" in not_a_number.text

    saved = web.post("/searches/new", data=_form(csrf), follow_redirects=False)
    assert saved.status_code == 303
    (row,) = _rows(engine)
    assert (row.owner, row.rule_enabled, row.rule_per_hour, row.sharing) == ("ali", True, 5, "everyone")
    listing = web.get(saved.headers["location"])
    assert "جستجو ذخیره شد" in listing.text and "≥ ۵ اشاره در ساعت" in listing.text
    assert web.post("/searches/new", data=_form(csrf)).status_code == 400  # the name is taken

    edit = web.get(f"/searches/{row.id}/edit")
    assert edit.status_code == 200 and 'value="5"' in edit.text
    web.post(f"/searches/{row.id}/edit", data=_form(csrf, rule_enabled="", rule_min_followers="10000"))
    (row,) = _rows(engine)
    assert (row.rule_enabled, row.rule_min_followers) == (False, 10_000)

    assert web.post(f"/searches/{row.id}/delete", data={}).status_code == 403  # no CSRF token
    gone = web.post(f"/searches/{row.id}/delete", data={"csrf_token": csrf}, follow_redirects=False)
    assert gone.status_code == 303 and _rows(engine) == []


def test_support_reads_shared_searches_but_does_not_manage(web: TestClient, engine: Engine) -> None:
    csrf = log_in(web, "ali")
    web.post("/searches/new", data=_form(csrf))
    web.post("/searches/new", data=_form(csrf, name="خصوصی", sharing="private"))
    web.post("/logout", data={"csrf_token": csrf})
    csrf = log_in(web, "sara")
    listing = web.get("/searches")
    assert listing.status_code == 200 and "دیرکرد سبزینو" in listing.text and "خصوصی" not in listing.text
    assert 'id="new-search"' not in listing.text and "/edit" not in listing.text
    assert web.get("/searches/new").status_code == 403
    shared = _rows(engine)[0].id
    assert web.get(f"/searches/{shared}/edit").status_code == 403
    assert web.post("/searches/new", data=_form(csrf, name="x")).status_code == 403
    assert len(_rows(engine)) == 2


def test_mentions_text_in_a_search_is_escaped(web: TestClient) -> None:
    csrf = log_in(web, "ali")
    web.post("/searches/new", data=_form(csrf, name="<script>alert(1)</script>"))
    listing = web.get("/searches")
    assert "<script>alert(1)</script>" not in listing.text and "&lt;script&gt;" in listing.text
