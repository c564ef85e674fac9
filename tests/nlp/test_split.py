"""python -m nlp split: groups by story and by acts reported as news, keeps written parts, deals by kind."""

from nlp import split


def _doc(i, story, kind="news", published="2023-02-10", events=()):
    return {"id": f"t:{i}", "story": story, "kind": kind, "published": published, "origin": "outside",
            "gold": {"actions": [{"type": e.split(":")[1], "event": e} for e in events]}}


def test_stories_reporting_the_same_act_as_news_are_one_group():
    """Two stories about one act in the same weeks are one group; a restatement years later is not."""
    records = [_doc(1, "a", events=["AU:remove:2023-02-09:x"]), _doc(2, "b", events=["AU:remove:2023-02-09:x"]),
               _doc(3, "c", published="2025-01-01", events=["AU:remove:2023-02-09:x"])]
    groups = sorted(sorted(r["id"] for r in g) for g in split.group_records(records).values())
    assert groups == [["t:1", "t:2"], ["t:3"]]


def test_written_parts_are_kept_and_new_documents_join_their_story():
    """A new document of a story already in test goes to test; nothing already written moves."""
    existing = {"train": [_doc(1, "a")], "dev": [], "test": [_doc(2, "b")]}
    parts = split.assign(existing, [_doc(3, "b"), _doc(4, "a")])
    assert [r["id"] for r in parts["test"]] == ["t:2", "t:3"] and [r["id"] for r in parts["train"]] == ["t:1", "t:4"]
    assert split.check(parts) == []


def test_new_stories_are_dealt_in_proportion_and_reproducibly():
    """Forty one-document stories land about half in train, a fifth in dev and the rest in test, the same each run."""
    new = [_doc(i, f"s{i}", kind="news" if i % 2 else "hansard") for i in range(40)]
    first = split.assign({}, new)
    again = split.assign({}, list(reversed(new)))
    assert {p: len(v) for p, v in first.items()} == {"train": 20, "dev": 8, "test": 12}
    assert {p: sorted(r["id"] for r in v) for p, v in first.items()} == \
        {p: sorted(r["id"] for r in v) for p, v in again.items()}


def test_duplicate_ids_are_refused():
    """The same document twice is an error, not two documents."""
    try:
        split.assign({"train": [_doc(1, "a")]}, [_doc(1, "b")])
    except split.SplitError as exc:
        assert "t:1" in str(exc)
    else:
        raise AssertionError("no SplitError")
