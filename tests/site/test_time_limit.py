"""The pages' queries run under a time limit (issue 19): past it a page answers at once with a
clear message and frees its SQL thread; Datasette's own pages are not affected."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import yaml
from datasette.app import Datasette

from db.serve import SITE

PAGES = ["/", "/timeline", "/timeline?q=Hikvision", "/timeline.atom?vendor=hikvision", "/vendors/hikvision",
         "/organisations/cabinet-office", "/sources"]


def serve(db, **config) -> Datasette:
    metadata = yaml.safe_load((SITE / "metadata.yml").read_text())
    metadata["plugins"] = {"tracker-pages": config}
    return Datasette(files=[str(db)], config_dir=SITE, metadata=metadata, settings={"sql_time_limit_ms": 1000})


def get_all(ds: Datasette, paths: list[str]) -> list:
    """The responses, from a thread of its own (Playwright's tests leave an event loop in this one)."""
    async def run():
        return [await ds.client.get(path) for path in paths]

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, run()).result()


def test_a_page_past_its_time_limit_says_so(built):
    ds = serve(built["db"], time_limit_ms=0)  # every page query is interrupted at its first check
    responses = get_all(ds, PAGES + ["/tracker.json?sql=select+1", "/-/versions.json"])
    for path, response in zip(PAGES, responses):
        assert response.status_code == 503, path
        assert "took too long" in response.text and "was stopped" in response.text, path
    assert [r.status_code for r in responses[len(PAGES):]] == [200, 200]


def test_under_the_limit_every_page_answers(built):
    ds = serve(built["db"])
    assert [r.status_code for r in get_all(ds, PAGES)] == [200] * len(PAGES)
