"""Event resolution (issue #15): mentions of one act become one event; different acts stay apart.

The documents here are small invented ones in the shape the crawlers write; the
hierarchy is the real vocabulary's (topics/cameras/vocab.yml organisations with parents).
"""

from __future__ import annotations

import pytest

from nlp.events import action_id, hierarchy, resolve

WMS_TEXT = ("Departments have therefore been instructed to cease deployment of such equipment onto "
            "sensitive sites, where it is produced by companies subject to the National Intelligence Law "
            "of the People's Republic of China.")
DEFRA = "Department for Environment, Food and Rural Affairs"
FCC = "Federal Communications Commission"


def doc(id_, kind, published, department=None, people=None, jurisdiction="GB", outlet=None, text=""):
    return {"id": id_, "kind": kind, "published": published, "department": department, "people": people or [],
            "jurisdiction": jurisdiction, "outlet": outlet, "title": id_, "text": text}


def action(type_, actor, date, evidence, vendors=("*",), start=0):
    return {"type": type_, "actor": actor, "date": date, "evidence": evidence, "vendors": list(vendors),
            "start": start, "end": start + len(evidence)}


def rec(id_, *actions, vendors=()):
    return {"id": id_, "actions": list(actions), "vendors": list(vendors)}


def statement():
    """The written statement of 24 November 2022 and its extraction."""
    d = doc("uk_written_statements:HCWS386", "written_statement", "2022-11-24", "Cabinet Office",
            [{"name": "Oliver Dowden", "role": "making", "office": "Chancellor of the Duchy of Lancaster"}])
    return d, rec(d["id"], action("ban_installation", "Cabinet Office", "2022-11-24", WMS_TEXT))


def events_of(documents, records, **kwargs):
    return resolve(documents, records, **kwargs).events


def by_document(events):
    return {m["document_id"]: e for e in events for m in e["mentions"]}


def test_a_restatement_with_its_date_is_a_mention_of_the_earlier_act():
    """An answer of 2023 saying 'On 24 November 2022 ... laid a statement' adds a source, not a new ban."""
    wms, wms_rec = statement()
    answer = doc("uk_written_questions:1", "written_question", "2023-01-31", "Cabinet Office")
    answer_rec = rec(answer["id"], action(
        "ban_installation", "Cabinet Office", "2022-11-24",
        "On 24 November 2022, the Chancellor of the Duchy of Lancaster laid a Written Ministerial Statement "
        "instructing departments to cease deployment of surveillance equipment on sensitive sites."))
    events = events_of([wms, answer], [wms_rec, answer_rec])
    assert len(events) == 1
    event = events[0]
    assert event["date"] == "2022-11-24" and event["primary_document"] == wms["id"]
    assert {m["document_id"]: m["role"] for m in event["mentions"]} == {wms["id"]: "primary",
                                                                        answer["id"]: "restatement"}
    assert event["first_reported"] == "2022-11-24" and event["documents"] == 2


def test_a_restatement_without_a_date_keeps_the_acts_date():
    """'The Government has instructed departments to cease ...' in 2023 is the 2022 act, not a 2023 ban."""
    wms, wms_rec = statement()
    answer = doc("uk_written_questions:2", "written_question", "2023-03-09", "Cabinet Office")
    answer_rec = rec(answer["id"], action(
        "ban_installation", "UK Government", "2023-03-09",
        "Separately, following a review of security risks, the Government has instructed departments to "
        "cease deployment of surveillance equipment on sensitive sites, where it is produced by companies "
        "that are subject to the National Intelligence Law of the People's Republic of China."))
    events = events_of([wms, answer], [wms_rec, answer_rec])
    assert len(events) == 1 and events[0]["date"] == "2022-11-24"
    assert by_document(events)[answer["id"]]["actor"] == "Cabinet Office"


def test_i_refer_the_hon_member_to_the_statement_is_a_restatement():
    """A reference back ('I refer the hon. Member to the statement') joins the act on fewer shared words."""
    wms, wms_rec = statement()
    answer = doc("uk_written_questions:3", "written_question", "2023-07-21", "Home Office")
    answer_rec = rec(answer["id"], action(
        "ban_installation", "UK Government", "2023-07-21",
        "I refer the hon. Member to the Written Ministerial Statement, which instructed departments to cease "
        "deployment onto sensitive sites."))
    events = events_of([wms, answer], [wms_rec, answer_rec])
    assert len(events) == 1 and events[0]["primary_document"] == wms["id"]


def test_minister_department_and_government_are_one_actor_family():
    """The minister (the statement's member field), the department and 'the Government' are one event."""
    wms, wms_rec = statement()
    news = [doc(f"news:{n}", "news", "2022-11-24", jurisdiction=None, outlet=outlet) for n, outlet in
            enumerate(["Mail Online", "WION", "The Times (Reuters)"])]
    news_recs = [
        rec(news[0]["id"], action("ban_installation", "Oliver Dowden", "2022-11-24",
                                  "Oliver Dowden orders departments to stop putting Chinese-made cameras "
                                  "on sensitive sites")),
        rec(news[1]["id"], action("ban_installation", "UK Government", "2022-11-24",
                                  "UK restricts Chinese cameras in government buildings")),
        rec(news[2]["id"], action("ban_installation", "Cabinet Office", "2022-11-24",
                                  "Cabinet Office bars Chinese cameras from sensitive sites")),
    ]
    events = events_of([wms] + news, [wms_rec] + news_recs)
    assert len(events) == 1
    event = events[0]
    assert event["actor"] == "Cabinet Office" and event["jurisdiction"] == "GB"
    assert event["announced_by"] == ["Oliver Dowden (Chancellor of the Duchy of Lancaster)"]
    assert event["sources"] == 4 and event["documents"] == 4
    assert {m["role"] for m in event["mentions"] if m["document_id"].startswith("news")} == {"report"}
    assert sorted(event["actors_named"]) == ["Cabinet Office", "Oliver Dowden", "UK Government"]


def test_an_agency_and_its_department_are_one_actor_family():
    """A report naming the Bureau of Industry and Security joins Commerce's Entity List rule."""
    rule = doc("us_federal_register:2019-22210", "federal_register", "2019-10-09", "Department of Commerce",
               jurisdiction="US")
    report = doc("news:bis", "news", "2019-10-08", jurisdiction=None, outlet="Trade Law Daily")
    events = events_of([rule, report], [
        rec(rule["id"], action("sanction", "US Department of Commerce", "2019-10-09",
                               "This final rule amends the EAR by adding twenty-eight entities to the "
                               "Entity List.")),
        rec(report["id"], action("sanction", "Bureau of Industry and Security", "2019-10-08",
                                 "BIS adds Hikvision and Dahua to the Entity List",
                                 vendors=("Hikvision", "Dahua"))),
    ])
    assert len(events) == 1
    assert events[0]["actor"] == "US Department of Commerce"
    assert events[0]["targets"] == ["*", "Dahua", "Hikvision"]


def test_two_different_bans_by_the_same_actor_stay_two_events():
    """Two statements by one department (a year apart, or the same day with different texts) are two acts."""
    wms, wms_rec = statement()
    later = doc("uk_written_statements:HCWS99", "written_statement", "2023-11-24", "Cabinet Office")
    same_day = doc("uk_written_statements:HCWS387", "written_statement", "2022-11-24", "Cabinet Office")
    events = events_of([wms, later, same_day], [
        wms_rec,
        rec(later["id"], action("ban_installation", "Cabinet Office", "2023-11-24", WMS_TEXT)),
        rec(same_day["id"], action("ban_installation", "Cabinet Office", "2022-11-24",
                                   "Departments must not install drones made by listed vendors at prisons.")),
    ])
    assert len(events) == 3
    assert len({e["id"] for e in events}) == 3


def test_sibling_departments_do_not_merge():
    """The Home Office and the Department for Transport acting on the same day are two acts."""
    home = doc("a:1", "written_question", "2023-05-01", "Home Office")
    transport = doc("a:2", "written_question", "2023-05-01", "Department for Transport")
    evidence = "We have removed all Hikvision cameras from our headquarters."
    events = events_of([home, transport], [
        rec(home["id"], action("remove", "Home Office", "2023-05-01", evidence, vendors=("Hikvision",))),
        rec(transport["id"], action("remove", "Department for Transport", "2023-05-01", evidence,
                                    vendors=("Hikvision",))),
    ])
    assert len(events) == 2


def test_named_vendors_that_do_not_overlap_are_different_acts():
    """Sanctions on Huawei and on Hikvision by one body on one day are two events."""
    d1 = doc("news:1", "news", "2021-03-12", jurisdiction="US")
    d2 = doc("news:2", "news", "2021-03-12", jurisdiction="US")
    events = events_of([d1, d2], [
        rec(d1["id"], action("sanction", FCC, "2021-03-12", "FCC lists Huawei", vendors=("Huawei",))),
        rec(d2["id"], action("sanction", FCC, "2021-03-12", "FCC lists Hikvision", vendors=("Hikvision",))),
    ])
    assert len(events) == 2


def test_a_refusal_to_comment_is_never_another_documents_restatement():
    """Two answers declining in the same words are two acts (no_comment is per_document in the vocabulary)."""
    words = "It is not Government policy to comment on the security arrangements of government buildings."
    a1 = doc("q:1", "written_question", "2022-06-09", "Home Office")
    a2 = doc("q:2", "written_question", "2023-01-31", "Home Office")
    events = events_of([a1, a2], [rec(a1["id"], action("no_comment", "Home Office", "2022-06-09", words)),
                                  rec(a2["id"], action("no_comment", "UK Government", "2023-01-31", words))])
    assert len(events) == 2


def test_conflicting_date_keeps_the_records_value_and_lists_the_disagreement():
    """A restatement a day off joins the act; the event keeps the statement's date and lists the other one."""
    wms, wms_rec = statement()
    answer = doc("q:4", "written_question", "2023-02-07", "Cabinet Office")
    answer_rec = rec(answer["id"], action("ban_installation", "Cabinet Office", "2022-11-23",
                                          "On 23 November 2022, departments were instructed to cease "
                                          "deployment of such equipment onto sensitive sites."))
    events = events_of([wms, answer], [wms_rec, answer_rec])
    assert len(events) == 1
    assert events[0]["date"] == "2022-11-24"
    assert events[0]["disagreements"] == [
        {"field": "date", "value": "2022-11-23", "documents": [answer["id"]]}]


def test_conflicting_actor_keeps_the_records_value_and_lists_the_disagreement():
    """A report of the day naming the wrong department in the record's words joins, the actor listed."""
    wms, wms_rec = statement()
    news = doc("news:5", "news", "2022-11-24", jurisdiction="GB", outlet="Brief Briefing")
    news_rec = rec(news["id"], action("ban_installation", "Home Office", "2022-11-24",
                                      "Departments have been instructed to cease deployment of such "
                                      "equipment onto sensitive sites where it is produced by companies "
                                      "subject to the National Intelligence Law."))
    events = events_of([wms, news], [wms_rec, news_rec])
    assert len(events) == 1
    assert events[0]["actor"] == "Cabinet Office"
    assert {"field": "actor", "value": "Home Office", "documents": [news["id"]]} in events[0]["disagreements"]


def test_a_restatement_of_a_different_year_is_not_merged():
    """A stated date a year away is another act, however alike the words."""
    wms, wms_rec = statement()
    answer = doc("q:6", "written_question", "2024-02-01", "Cabinet Office")
    answer_rec = rec(answer["id"], action("ban_installation", "Cabinet Office", "2023-11-24", WMS_TEXT))
    assert len(events_of([wms, answer], [wms_rec, answer_rec])) == 2


def test_an_action_without_actor_or_date_is_a_mention_level_event_never_dropped():
    """An unplaceable action is kept as its own event, marked unplaced, and never absorbs others."""
    wms, wms_rec = statement()
    stray = doc("news:7", "news", None, jurisdiction=None)
    stray_rec = rec(stray["id"], action("ban_installation", None, None,
                                        "Departments ordered to cease deployment of such equipment on "
                                        "sensitive sites"))
    other = doc("news:8", "news", None, jurisdiction=None)
    other_rec = rec(other["id"], action("ban_installation", None, None,
                                        "Chinese cameras banned from sensitive sites"))
    result = resolve([wms, stray, other], [wms_rec, stray_rec, other_rec])
    unplaced = [e for e in result.events if e["status"] == "unplaced"]
    assert len(result.events) == 3 and len(unplaced) == 2
    assert {m["document_id"] for e in unplaced for m in e["mentions"]} == {stray["id"], other["id"]}
    assert len(result.mentions()) == 3


def test_an_undated_report_joins_the_one_act_it_fits():
    """'The Aus Govt has ordered the removal ...' with no date joins the one removal by that government."""
    dated = doc("news:9", "news", "2023-02-09", jurisdiction=None, outlet="Republic World")
    undated = doc("news:10", "news", None, jurisdiction=None, outlet="The Daily Aus")
    events = events_of([dated, undated], [
        rec(dated["id"], action("remove", "Australian Government", "2023-02-09",
                                "Australia to remove Chinese-made security cameras from govt buildings")),
        rec(undated["id"], action("remove", "Australian Government", None,
                                  "The Aus Govt has ordered the removal of China-made security cameras")),
    ])
    assert len(events) == 1 and events[0]["jurisdiction"] == "AU" and events[0]["status"] == "event"


def test_a_group_label_joins_only_when_one_act_fits():
    """'Government departments ordered ...' (no known actor) joins the single act of that type and day."""
    wms, wms_rec = statement()
    news = doc("news:11", "news", "2022-11-24", jurisdiction=None)
    news_rec = rec(news["id"], action("ban_installation", "Government departments", "2022-11-24",
                                      "Government departments ordered to stop installing cameras made by "
                                      "Chinese firms in sensitive sites"))
    events = events_of([wms, news], [wms_rec, news_rec])
    assert len(events) == 1
    assert {"field": "actor", "value": "Government departments", "documents": [news["id"]]} \
        in events[0]["disagreements"]
    second = doc("uk_written_statements:HCWS400", "written_statement", "2022-11-24", "Home Office")
    events = events_of([wms, second, news], [wms_rec, news_rec, rec(second["id"], action(
        "ban_installation", "Home Office", "2022-11-24", "Police forces must cease deployment of drones."))])
    assert len(events) == 3  # two acts fit that day: the label joins neither


def test_jurisdiction_comes_from_the_actor_not_the_document():
    """A US outlet's report of the UK decision is a GB event; Australian news without jurisdiction is AU."""
    us_news = doc("news:12", "news", "2022-11-24", jurisdiction="US", outlet="AP")
    report = action("ban_installation", "UK Government", "2022-11-24", "Britain bars Chinese cameras")
    events = events_of([us_news], [rec(us_news["id"], report)])
    assert events[0]["jurisdiction"] == "GB"


def test_vendors_the_document_is_about_are_kept_in_context():
    """A class ban restated in an answer about Hikvision and Dahua is found by those vendors."""
    wms, wms_rec = statement()
    answer = doc("q:13", "written_question", "2023-07-21", DEFRA)
    answer_rec = rec(answer["id"], action("ban_installation", "Cabinet Office", "2022-11-24",
                                          "On 24 November 2022 departments were told to cease deployment."),
                     vendors=["Hikvision", "Dahua", "Axis Communications"])
    event = events_of([wms, answer], [wms_rec, answer_rec])[0]
    assert event["targets"] == ["*"] and event["context_vendors"] == ["Dahua", "Hikvision"]


def test_a_record_cited_but_not_extracted_is_the_primary_source():
    """When only answers carry the act, the statement they cite (same body and day) is its primary source."""
    wms = doc("uk_written_statements:HCWS386", "written_statement", "2022-11-24", "Cabinet Office")
    answer = doc("q:14", "written_question", "2023-07-21", DEFRA)
    events = events_of([wms, answer], [rec(wms["id"]), rec(answer["id"], action(
        "disconnect", "Cabinet Office", "2022-11-24",
        "I would refer the hon. Member to the Written Ministerial Statement made on 24 November 2022."))])
    assert events[0]["primary_document"] == wms["id"] and events[0]["primary_basis"] == "record"
    assert events[0]["documents"] == 2


def test_ids_are_stable_across_runs_and_new_sources():
    """The same input gives the same ids; a new report attaching to an event keeps the event's id."""
    wms, wms_rec = statement()
    first = resolve([wms], [wms_rec]).events
    again = resolve([wms], [wms_rec]).events
    assert [e["id"] for e in first] == [e["id"] for e in again]
    previous = {(m["document_id"], e["type"]): e["id"] for e in first for m in e["mentions"]}
    news = doc("news:15", "news", "2022-11-25", jurisdiction=None)
    news_rec = rec(news["id"], action("ban_installation", "UK Government", "2022-11-25",
                                      "UK bans Chinese cameras from sensitive sites"))
    later = resolve([news, wms], [news_rec, wms_rec], previous=previous)
    assert [e["id"] for e in later.events] == [first[0]["id"]] and later.redirects == []


def test_merged_and_withdrawn_ids_get_redirects():
    """An old id whose mentions sit in another event redirects there; one with none left is withdrawn."""
    wms, wms_rec = statement()
    answer = doc("q:16", "written_question", "2023-01-31", "Cabinet Office")
    answer_rec = rec(answer["id"], action("ban_installation", "Cabinet Office", "2022-11-24",
                                          "On 24 November 2022 departments were told to cease deployment."))
    previous = {(wms["id"], "ban_installation"): "eold1", (answer["id"], "ban_installation"): "eold2",
                ("gone:1", "remove"): "eold3"}
    result = resolve([wms, answer], [wms_rec, answer_rec], previous=previous)
    assert [e["id"] for e in result.events] == ["eold1"]
    assert result.redirects == [{"old_id": "eold2", "new_id": "eold1", "reason": "merged"},
                                {"old_id": "eold3", "new_id": None, "reason": "withdrawn"}]


def test_mention_ids_are_the_databases_action_ids():
    """Each mention carries the id db/ingest gives the action, so the two join."""
    wms, wms_rec = statement()
    a = wms_rec["actions"][0]
    (mention,) = resolve([wms], [wms_rec]).mentions()
    assert mention["action_id"] == action_id(wms["id"], a["type"], a["start"], a["end"])


def test_bad_parents_in_the_vocabulary_are_refused():
    """A parent that names no organisation, or a loop, is a clear error, not a silent flat hierarchy."""
    with pytest.raises(hierarchy.BadHierarchy, match="not an organisation"):
        hierarchy.Hierarchy({"a": {"name": "A", "parent": "missing"}})
    with pytest.raises(hierarchy.BadHierarchy, match="loop"):
        hierarchy.Hierarchy({"a": {"name": "A", "parent": "b"}, "b": {"name": "B", "parent": "a"}})


def test_the_vocabularys_hierarchy_reaches_each_government():
    """Departments and agencies in the vocabulary lead up to their government."""
    h = hierarchy.load()
    assert h.chain(h.organisation("National Cyber Security Centre"))[-1] == "uk_government"
    assert h.chain(h.organisation("Bureau of Industry and Security"))[-1] == "us_government"
    assert h.comparable(h.organisation("Cabinet Office"), h.organisation("UK Government"))
    assert not h.comparable(h.organisation("Cabinet Office"), h.organisation("Home Office"))


def test_named_bodies_outside_the_vocabulary_are_each_their_own_actor():
    """Two councils removing cameras on the same day are two acts, not one 'unknown actor' event."""
    d1 = doc("news:20", "news", "2023-02-21", jurisdiction="GB")
    d2 = doc("news:21", "news", "2023-02-21", jurisdiction="GB")
    events = events_of([d1, d2], [
        rec(d1["id"], action("remove", "Sevenoaks District Council", "2023-02-21",
                             "Sevenoaks council will take Hikvision cameras out", vendors=("Hikvision",))),
        rec(d2["id"], action("remove", "Tunbridge Wells Borough Council", "2023-02-21",
                             "Tunbridge Wells council will take Hikvision cameras out",
                             vendors=("Hikvision",))),
    ])
    assert len(events) == 2


def test_a_part_of_government_named_generically_is_that_government():
    """'British officials' in a GB story act for the UK Government (guide 5.2): they join its act."""
    wms, wms_rec = statement()
    news = doc("news:22", "news", "2022-11-24", jurisdiction="GB")
    events = events_of([wms, news], [wms_rec, rec(news["id"], action(
        "ban_installation", "British officials", "2022-11-24", "British officials barred Chinese cameras"))])
    assert len(events) == 1 and events[0]["disagreements"] == []


def test_a_vendor_denial_belongs_to_the_market_of_its_story():
    """Hikvision rebutting Australia's decision and, a week later, Wales's are two denials."""
    au = doc("news:23", "news", "2023-02-09", jurisdiction="AU")
    gb = doc("news:24", "news", "2023-02-16", jurisdiction="GB")
    words = "Hikvision said it was false to present its cameras as a threat to national security."
    events = events_of([au, gb], [rec(au["id"], action("denial", "Hikvision", "2023-02-09", words)),
                                  rec(gb["id"], action("denial", "Hikvision", "2023-02-16", words))])
    assert sorted(e["jurisdiction"] for e in events) == ["AU", "GB"]


def test_an_undated_report_never_joins_an_act_after_its_document():
    """'The government had already issued a notification' in 2024 is not the rules of 2025."""
    later = doc("news:25", "news", "2025-04-09", jurisdiction="IN")
    earlier = doc("news:26", "news", "2024-09-29", jurisdiction="IN")
    events = events_of([later, earlier], [
        rec(later["id"], action("legislation", "Government of India", "2025-04-09",
                                "India's new rules on CCTV security testing apply from today")),
        rec(earlier["id"], action("legislation", "Government of India", None,
                                  "The government had already issued a notification on CCTV testing")),
    ])
    assert len(events) == 2


def test_an_earlier_act_in_the_same_document_is_not_the_documents_act():
    """'Earlier steps' in a report of the FCC's 2022 order are another act, in the same document."""
    news = doc("news:27", "news", "2022-11-25", jurisdiction="US")
    events = events_of([news], [rec(
        news["id"], action("ban_procurement", FCC, "2022-11-25", "The FCC banned new equipment."),
        action("ban_procurement", FCC, None, "The FCC listed earlier steps, including barring public funds.",
               start=200))])
    assert len(events) == 2


def test_years_and_months_do_not_touch_at_their_edges():
    """A ban 'in 2017' and one 'since 2018' by the same department are two acts."""
    d1 = doc("news:28", "news", "2023-02-22", jurisdiction="US")
    d2 = doc("news:29", "news", "2024-12-10", jurisdiction="US")
    events = events_of([d1, d2], [
        rec(d1["id"], action("ban_procurement", "US Department of Defense", "2017",
                             "DoD banned DJI drones in 2017")),
        rec(d2["id"], action("ban_procurement", "US Department of Defense", "2018",
                             "DoD has barred DJI drones since 2018"))])
    assert len(events) == 2


def test_a_surname_is_the_person_it_names():
    """'Stefanik' introducing a bill is 'Elise Stefanik' introducing it (same day, same bill)."""
    d1 = doc("gov:1", "gov_other", "2023-04-25", jurisdiction="US", people=[{"name": "Elise Stefanik"}])
    d2 = doc("news:30", "news", "2023-04-26", jurisdiction="US", people=[{"name": "Stefanik"}])
    events = events_of([d1, d2], [
        rec(d1["id"], action("legislation", "Elise Stefanik", "2023-04-25", "Stefanik introduced the bill")),
        rec(d2["id"], action("legislation", "Stefanik", "2023-04-26", "Stefanik introduced a drones bill"))])
    assert len(events) == 1


def test_an_answer_telling_what_has_been_done_is_not_its_own_act_of_the_day():
    """"Departments have been advised ..." in an answer is an earlier act, not the answer's own guidance of the
    day: it stays apart from the guidance the answer itself gives, though both are the department's."""
    answer = doc("uk_written_questions:1", "written_question", "2023-01-31", "Cabinet Office",
                 [{"name": "Jeremy Quin", "role": "answering"}])
    advised = action("guidance", "Cabinet Office", "2023-01-31", "Departments have been advised to consider whether "
                     "there are sites outside the definition of sensitive sites to which they would extend the same "
                     "mitigation.")
    encourage = action("guidance", "Cabinet Office", "2023-01-31", "We encourage all organisations to follow NCSC "
                       "supply chain security guidance when selecting a technology supplier.", start=300)
    events = events_of([answer], [rec(answer["id"], advised, encourage)])
    assert len(events) == 2
    today = [e for e in events if e["date"] == "2023-01-31" and e["date_basis"] == "record"]
    assert len(today) == 1 and [m["action_id"] for m in today[0]["mentions"]] == [
        action_id(answer["id"], "guidance", encourage["start"], encourage["end"])]


def test_bodies_named_beside_the_issuer_of_a_record_share_its_act():
    """A notice of three agencies ("DoD, GSA, and NASA are hosting ...") is one act, not three cards; the
    co-issuers are named, not listed as disagreeing actors."""
    notice = doc("us_federal_register:2019-11490", "federal_register", "2019-06-03", "Defense Department",
                 jurisdiction="US")
    evidence = ("DoD, GSA, and NASA are hosting a public meeting on the implementation of section 889 of the "
                "NDAA for FY 2019.")
    events = events_of([notice], [rec(notice["id"], *[
        action("legislation", actor, "2019-06-03", evidence) for actor in (
            "US Department of Defense", "General Services Administration",
            "National Aeronautics and Space Administration")])])
    assert len(events) == 1 and len(events[0]["mentions"]) == 3
    assert events[0]["actor"] == "US Department of Defense" and events[0]["date_basis"] == "record"
    assert not [d for d in events[0]["disagreements"] if d["field"] == "actor"]


def test_bodies_named_together_in_a_report_each_keep_their_own_act():
    """News that 'Tesco, Morrisons and M&S have stopped buying' such cameras reports three decisions: only the
    record of a joint act makes co-issuers one event."""
    news = doc("news:retailers", "news", "2023-06-08", jurisdiction="GB")
    evidence = "Tesco, Morrisons and M&S have stopped buying Chinese-made CCTV cameras."
    events = events_of([news], [rec(news["id"], *[
        action("ban_procurement", actor, "2023-06-08", evidence) for actor in ("Tesco", "Morrisons", "M&S")])])
    assert len(events) == 3


def test_an_answer_saying_what_departments_have_done_restates_the_earlier_act():
    """'I can confirm that departments have ceased the deployment ...' in an answer of 2023 is the statement
    of 24 November 2022 told again, not a new ban of the answer's day; said in the present, it would be."""
    wms, wms_rec = statement()
    answer = doc("uk_written_questions:2", "written_question", "2023-07-24", "Cabinet Office",
                 [{"name": "Alex Burghart", "role": "answering"}])
    done = rec(answer["id"], action(
        "ban_installation", "Cabinet Office", "2023-07-24",
        "I can confirm that departments have ceased the deployment of surveillance equipment produced by companies "
        "subject to the National Intelligence Law of the People's Republic of China onto sensitive sites."))
    events = events_of([wms, answer], [wms_rec, done])
    assert len(events) == 1 and events[0]["date"] == "2022-11-24"
    assert by_document(events)[answer["id"]]["primary_document"] == wms["id"]
    today = rec(answer["id"], action(
        "ban_installation", "Cabinet Office", "2023-07-24",
        "Today I am instructing departments to cease the deployment of drones produced by such companies onto "
        "sensitive sites."))
    assert len(events_of([wms, answer], [wms_rec, today])) == 2


def test_a_sentence_without_actor_takes_the_act_of_its_storys_body():
    """"Where those cameras are found they're going to be removed", in a story whose other sentence is the
    Defence minister's, joins Defence's removal, not the War Memorial's of the same week."""
    defence = doc("news:def", "news", "2023-02-09", jurisdiction="AU")
    memorial = doc("news:awm", "news", "2023-02-08", jurisdiction="AU")
    story = doc("news:quote", "news", "2023-02-09", jurisdiction="AU")
    records = [
        rec(defence["id"], action("remove", "Department of Defence", "2023-02-09",
                                  "Defence will remove Chinese-made cameras from its sites.")),
        rec(memorial["id"], action("remove", "Australian War Memorial", "2023-02-08",
                                   "The Australian War Memorial will take out its Chinese-linked cameras.")),
        rec(story["id"], action("review", "Department of Defence", "2023-02-09",
                                "The minister will order an assessment of the cameras in the department."),
            action("remove", None, "2023-02-09", "Where those particular cameras are found they're going "
                   "to be removed.", start=100)),
    ]
    removals = [e for e in events_of([defence, memorial, story], records) if e["type"] == "remove"]
    assert len(removals) == 2
    assert {m["document_id"] for m in by_document(removals)[story["id"]]["mentions"]} == {story["id"],
                                                                                           defence["id"]}
    alone = [r if r["id"] != story["id"] else rec(story["id"], r["actions"][1]) for r in records]
    assert len([e for e in events_of([defence, memorial, story], alone) if e["type"] == "remove"]) == 3


def test_a_report_that_its_act_came_months_before_is_not_news_of_the_day():
    """'It comes months after dozens of lawmakers called for a ban' does not join the lawmakers' call of the
    document's week; it may join the earlier call it restates."""
    call = doc("news:july", "news", "2022-07-05", jurisdiction="GB")
    week = doc("news:nov1", "news", "2022-11-22", jurisdiction="GB")
    later = doc("news:nov2", "news", "2022-11-26", jurisdiction="GB")
    events = events_of([call, week, later], [
        rec(call["id"], action("call_for_ban", "MPs", "2022-07-05",
                               "Dozens of MPs called for a ban on the sale of Hikvision and Dahua cameras.")),
        rec(week["id"], action("call_for_ban", "MPs", "2022-11-22",
                               "MPs urged ministers to remove cameras from Parliament.")),
        rec(later["id"], action("call_for_ban", "lawmakers", "2022-11-26",
                                "It comes months after dozens of lawmakers called for a ban on the sale of "
                                "Hikvision and Dahua cameras.")),
    ])
    assert len(events) == 2
    assert {m["document_id"] for m in by_document(events)[later["id"]]["mentions"]} == {call["id"], later["id"]}


def test_a_report_of_todays_act_is_not_a_restatement_of_an_earlier_one():
    """'Today, Senator Scott applauded the passage of his amendment' (2023) is not the committee's passage of
    his bill in 2020, however alike the press releases are worded."""
    first = doc("gov:scott1", "gov_other", "2020-03-11", jurisdiction="US")
    second = doc("gov:scott2", "gov_other", "2023-07-20", jurisdiction="US")
    events = events_of([first, second], [
        rec(first["id"], action("legislation", "Rick Scott", "2020-03-11",
                                "Today, Senator Rick Scott applauded the passage of his American Security Drone "
                                "Act by the Senate Homeland Security Committee.")),
        rec(second["id"], action("legislation", "Rick Scott", "2023-07-20",
                                 "Today, Senator Rick Scott applauded the passage of his amendment to add his "
                                 "American Security Drone Act to the NDAA.")),
    ])
    assert len(events) == 2


def test_what_a_review_found_reported_months_later_is_that_review():
    """"Defence finds 435 Chinese cameras" (June, no actor extracted: "Defence" is the department's short name in
    the vocabulary) reports the findings of the checks Defence was ordered to make in February; with two
    earlier reviews by Defence it cannot tell which, and stays apart."""
    checks = doc("news:checks", "news", "2023-02-09", jurisdiction=None)
    finding = doc("news:finds", "news", "2023-06-01", jurisdiction=None)
    records = [rec(checks["id"], action("review", "Australian Government", "2023-02-09",
                                        "Australia orders checks on Chinese-made cameras in defence offices")),
               rec(finding["id"], action("review", None, "2023-06-01", "Defence finds 435 Chinese cameras"))]
    events = events_of([checks, finding], records)
    assert len(events) == 1 and events[0]["date"] == "2023-02-09" and events[0]["jurisdiction"] == "AU"
    other = doc("news:other", "news", "2022-08-01", jurisdiction="AU")
    records.append(rec(other["id"], action("review", "Department of Defence", "2022-08-01",
                                           "Defence began an audit of its drones.")))
    assert len(events_of([checks, finding, other], records)) == 3


def test_what_was_found_before_a_review_is_not_its_findings():
    """"Every site will be checked after cameras were found" (no actor extracted) announces a review of the day:
    it joins the one review of that day, as news of the day does, not an earlier one."""
    earlier = doc("news:e", "news", "2022-08-01", jurisdiction="AU")
    today = doc("news:t", "news", "2023-02-09", jurisdiction="AU")
    same_day = doc("news:s", "news", "2023-02-09", jurisdiction="AU")
    events = events_of([earlier, today, same_day], [
        rec(earlier["id"], action("review", "Department of Defence", "2022-08-01", "Defence audited its drones.")),
        rec(same_day["id"], action("review", "Department of Defence", "2023-02-09",
                                   "Defence will check all its sites for the cameras.")),
        rec(today["id"], action("review", None, "2023-02-09",
                                "Every Defence site will be checked after cameras were found at one location.")),
    ])
    assert len(events) == 2
    assert {m["document_id"] for m in by_document(events)[today["id"]]["mentions"]} == {today["id"],
                                                                                       same_day["id"]}


def test_a_sentence_without_actor_prefers_its_storys_own_body_to_the_government_above_it():
    """Cameras 'taken out of Defence sites' in a story about Defence join Defence's removal, not another removal
    by the whole government the same week (both are in Defence's line; Defence's own act is nearer)."""
    defence = doc("gov:d", "gov_other", "2023-02-09", "Department of Defence", jurisdiction="AU")
    agencies = doc("news:g", "news", "2023-02-16", jurisdiction="AU")
    story = doc("news:s", "news", "2023-02-14", jurisdiction="AU")
    events = events_of([defence, agencies, story], [
        rec(defence["id"], action("remove", "Department of Defence", "2023-02-09",
                                  "Defence will remove Chinese-made cameras from its sites.")),
        rec(agencies["id"], action("remove", "Australian Government", "2023-02-12",
                                   "On 12 February federal agencies began ripping out the cameras from their "
                                   "offices.")),
        rec(story["id"], action("review", "Department of Defence", "2023-02-14",
                                "The Department of Defence is carrying out a physical assessment."),
            action("remove", None, "2023-02-14", "Forty-two suspected cameras have been taken out of sites "
                   "across the country.", start=80)),
    ])
    removals = [e for e in events if e["type"] == "remove"]
    assert len(removals) == 2
    assert {m["document_id"] for m in by_document(removals)[story["id"]]["mentions"]} == {story["id"],
                                                                                           defence["id"]}


def test_each_stage_of_a_bill_is_its_own_act():
    """The House passing the defence bill in May and the bill signed into law in August are two acts; "a
    defense bill passed by Congress in 2018" (a year only: both dates fit) is the enactment, not the House vote;
    a sentence naming no stage may join either as before."""
    house = doc("news:house", "news", "2018-05-25", jurisdiction="US")
    law = doc("news:law", "news", "2018-08-13", jurisdiction="US")
    later = doc("news:later", "news", "2021-05-26", jurisdiction="US")
    events = events_of([house, law, later], [
        rec(house["id"], action("legislation", "US Congress", "2018-05-24",
                                "A bill the House of Representatives passed on Thursday would bar the government from "
                                "buying Chinese surveillance cameras.")),
        rec(law["id"], action("legislation", "US Congress", "2018-08-13",
                              "The defense bill that bars the government from buying Chinese surveillance cameras was "
                              "signed into law on 13 August.")),
        rec(later["id"], action("legislation", "US Congress", "2018",
                                "A defense bill passed by Congress in 2018 prohibited buying such cameras.")),
    ])
    assert len(events) == 2
    assert {m["document_id"] for m in by_document(events)[later["id"]]["mentions"]} == {law["id"], later["id"]}


def test_a_report_listing_earlier_steps_is_not_the_act_of_the_day():
    """News of the FCC's order that says the FCC 'listed earlier steps, including prohibiting the use of public
    funds ...' reports an older act, not the order of the day, though the news is dated that day."""
    order = doc("gov:fcc", "gov_other", "2022-11-25", "Federal Communications Commission", jurisdiction="US")
    news = doc("news:fcc", "news", "2022-11-25", jurisdiction="US")
    events = events_of([order, news], [
        rec(order["id"], action("ban_procurement", FCC, "2022-11-25",
                                "The Commission prohibits the authorization of equipment that poses an unacceptable "
                                "risk to national security.")),
        rec(news["id"], action("ban_procurement", FCC, "2022-11-25",
                               "In its release the FCC listed earlier steps, including prohibiting the use of public "
                               "funds to buy covered equipment.")),
    ])
    assert len(events) == 2


def test_an_undated_restatement_goes_to_the_act_reported_most_when_words_cannot_tell():
    """"Following the earlier ban on installing cameras" (the Government, no date) fits the statement of 24
    November 2022 (its record and three reports) and a one-report ban of 2023 by the Home Office alike: it is
    the statement's. With the two acts reported alike it cannot tell, and stays apart."""
    wms, wms_rec = statement()
    news = [doc(f"news:r{n}", "news", "2022-11-24", jurisdiction="GB") for n in range(3)]
    reports = [rec(d["id"], action("ban_installation", "UK Government", "2022-11-24",
                                   "Departments told to stop putting Chinese-made kit on sensitive sites"))
               for d in news]
    other = doc("news:ho", "news", "2023-03-01", jurisdiction="GB")
    other_rec = rec(other["id"], action("ban_installation", "Home Office", "2023-03-01",
                                        "Police forces must cease deployment of drones at prisons."))
    later = doc("news:later", "news", "2023-06-08", jurisdiction="GB")
    later_rec = rec(later["id"], action("ban_installation", "UK Government", None,
                                        "The new order is a second step, following the earlier ban on installing "
                                        "cameras from these manufacturers."))
    events = events_of([wms, *news, other, later], [wms_rec, *reports, other_rec, later_rec])
    assert len(events) == 2 and by_document(events)[later["id"]]["primary_document"] == wms["id"]
    alike = events_of([wms, other, later], [wms_rec, other_rec, later_rec])
    assert len(alike) == 3


def test_an_event_one_report_pinned_on_a_sibling_department_still_takes_its_restatements_in_the_same_words():
    """Reports gave the ban to "the UK Government" and one to the Home Office; an answer by the Cabinet Office
    restating it in the same words joins it (listed as a disagreeing actor), one in other words does not."""
    first = doc("news:a", "news", "2022-11-24", jurisdiction="GB")
    second = doc("news:b", "news", "2022-11-25", jurisdiction="GB")
    answer = doc("uk_written_questions:9", "written_question", "2023-07-24", "Cabinet Office",
                 [{"name": "Alex Burghart", "role": "answering"}])
    words = "cease the deployment of visual surveillance equipment onto sensitive sites"
    records = [
        rec(first["id"], action("ban_installation", "UK Government", "2022-11-24", f"Departments must {words}.")),
        rec(second["id"], action("ban_installation", "Home Office", "2022-11", f"The Home Office said departments "
                                 f"must {words}.")),
        rec(answer["id"], action("ban_installation", "Cabinet Office", "2023-07-24",
                                 "I can confirm that departments have ceased the deployment of visual surveillance "
                                 "equipment onto sensitive sites.")),
    ]
    events = events_of([first, second, answer], records)
    assert len(events) == 1
    assert {"field": "actor", "value": "Cabinet Office", "documents": [answer["id"]]} in events[0]["disagreements"]
    records[2] = rec(answer["id"], action("ban_installation", "Cabinet Office", "2023-07-24",
                                          "I can confirm that departments have ceased buying drones for prisons."))
    assert len(events_of([first, second, answer], records)) == 2


def test_a_report_by_an_actor_outside_the_events_line_does_not_narrow_its_date():
    """"December 2024: the NDAA was passed" (Congress) holds a note by a farmers' group dated 9 December (the
    text's publication, not the act): that note may join, but must not narrow the act to 8-10 December, so
    news of 19 December about the same law still joins."""
    month = doc("news:m", "news", "2025-07-22", jurisdiction="US")
    group = doc("ngo:g", "ngo", "2024-12-10", jurisdiction="US")
    news = doc("news:n", "news", "2024-12-20", jurisdiction="US")
    events = events_of([month, group, news], [
        rec(month["id"], action("legislation", "US Congress", "2024-12",
                                "December 2024: the FY 2025 NDAA was passed, requiring a security audit of drones.")),
        rec(group["id"], action("legislation", "Ag Drone", "2024-12-09",
                                "Ag Drone writes that the final text of the NDAA, published on 9 December, includes "
                                "a drone provision.")),
        rec(news["id"], action("legislation", "US Congress", "2024-12-19",
                               "On December 19 the maker gave an update on the NDAA and its security audit of drones.")),
    ])
    assert len(events) == 1


def test_the_storys_body_is_found_among_many_acts_that_fit_an_actorless_sentence():
    """Several agencies removed cameras the same week; a sentence naming no actor in a story about Defence
    joins Defence's removal however many others fit as well (a candidate search that stops at two fitting
    events would miss it: the hint needs the clusters of its bodies' line)."""
    defence = doc("gov:def", "gov_other", "2023-02-08", "Department of Defence", jurisdiction="AU")
    others = [doc(f"news:o{n}", "news", f"2023-02-1{n}", jurisdiction="AU") for n in range(3)]
    bodies = ["Australian War Memorial", "National Disability Insurance Agency", "Department of Finance"]
    story = doc("news:story", "news", "2023-02-14", jurisdiction="AU")
    records = [rec(defence["id"], action("remove", "Department of Defence", "2023-02-08",
                                         "Defence will remove Chinese-made cameras from its sites."))]
    records += [rec(d["id"], action("remove", body, d["published"], f"The {body} is taking out its cameras."))
                for d, body in zip(others, bodies)]
    records.append(rec(story["id"],
                       action("review", "Department of Defence", "2023-02-14", "Defence is auditing its sites."),
                       action("remove", None, "2023-02-14", "Forty-two cameras have been taken out so far.",
                              start=40)))
    removals = [e for e in events_of([defence, *others, story], records) if e["type"] == "remove"]
    assert len(removals) == 4
    assert {m["document_id"] for m in by_document(removals)[story["id"]]["mentions"]} == {story["id"],
                                                                                           defence["id"]}


def test_an_undated_restatement_naming_a_law_is_not_given_to_the_law_reported_most():
    """"The new cameras are a consequence of the Secure Equipment Act of 2021" (Congress, no date) names its
    law: that the 2019 defence act is reported three times as often does not make it that act."""
    ndaa = [doc(f"news:ndaa{n}", "news", "2018-08-13", jurisdiction="US") for n in range(3)]
    other = doc("news:sna", "news", "2020-03-12", jurisdiction="US")
    later = doc("news:sea", "news", "2024-04-26", jurisdiction="US")
    records = [rec(d["id"], action("legislation", "US Congress", "2018-08-13",
                                   "The defence bill barring federal purchases of the cameras was signed into law."))
               for d in ndaa]
    records.append(rec(other["id"], action("legislation", "US Congress", "2020-03-12",
                                           "Congress passed a networks law on the same equipment.")))
    records.append(rec(later["id"], action("legislation", "US Congress", None,
                                           "The new cameras are a consequence of the Secure Equipment Act of 2021.")))
    events = events_of([*ndaa, other, later], records)
    assert len(events) == 3
    assert [m["document_id"] for m in by_document(events)[later["id"]]["mentions"]] == [later["id"]]
