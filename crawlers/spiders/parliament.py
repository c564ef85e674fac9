"""What the two UK Parliament Written Questions & Statements spiders share.

Both page a search with skip/take and fetch each record's detail for its full
text (the list call truncates it). Paging stops at an empty or short page, or
when skip reaches totalResults, whichever comes first.
"""

from __future__ import annotations

from urllib.parse import urlencode

MAX_PAGES = 500


class SkipTakePaging:
    def next_page(self, response, page: dict, params: dict, path: str, callback):
        results = page.get("results") or []
        take = int(params.get("take", 20))
        skip = int(params.get("skip", 0))
        total = page.get("totalResults")
        if not results or len(results) < take or (isinstance(total, int) and skip + take >= total):
            return None
        if skip // take >= MAX_PAGES:
            self.logger.warning("stopped paging %s after %d pages", response.url, MAX_PAGES)
            return None
        following = dict(params, skip=skip + take)
        return self.api_request(path, following, callback=callback, cb_kwargs={"params": following})


def member(record: dict | None, role: str) -> dict | None:
    """A MemberViewModel as a person of the document."""
    if not record or not record.get("name"):
        return None
    return {"name": record["name"], "role": role, "party": record.get("party"),
            "constituency": record.get("memberFrom"), "member_id": record.get("id")}


PUBLIC = "https://questions-statements.parliament.uk"


def public_url(kind: str, day: str | None, uin: str | None) -> str | None:
    """The page a reader opens on questions-statements.parliament.uk, when we know it."""
    if isinstance(day, str) and isinstance(uin, str) and day and uin:
        return f"{PUBLIC}/{kind}/detail/{day[:10]}/{uin}"
    return None


def public_search_url(kind: str, term: str, day: str | None, house: str | None) -> str:
    """The site's own search narrowed to the record's words and answer day, for a record that lacks its
    UIN or date: a public page that lists it, never the JSON API (#16 point 8)."""
    params = {"SearchTerm": " ".join(term.split()[:12])}
    if isinstance(day, str) and len(day) >= 10:
        shown = f"{day[8:10]}/{day[5:7]}/{day[:4]}"  # the site's dd/mm/yyyy
        params.update({"AnsweredFrom": shown, "AnsweredTo": shown} if kind == "written-questions"
                      else {"DateFrom": shown, "DateTo": shown})
    if house in ("Commons", "Lords"):
        params["House"] = house
    return f"{PUBLIC}/{kind}?{urlencode(params)}"
