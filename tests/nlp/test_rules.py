"""The action rules on sentences of the domain: one behaviour per test."""

import pytest



def types(result):
    return [(a["type"], a["actor"]) for a in result["actions"]]


def test_modality_a_call_is_not_a_ban(extract):
    r = extract("Labour MPs urged the Government to ban Hikvision cameras from public buildings.", jurisdiction="GB")
    assert [a["type"] for a in r["actions"]] == ["call_for_ban"]


def test_no_plans_to_ban_is_no_ban(extract):
    r = extract("The Government has no plans to ban Dahua cameras.", jurisdiction="GB")
    assert r["actions"] == []


def test_the_question_is_not_the_departments_action(extract):
    r = extract("To ask the Secretary of State for Transport, whether he will remove Hikvision cameras from the "
                "Department's buildings.\n\nIt is not Government policy to comment on security arrangements.",
                title="Department for Transport: Hikvision", kind="written_question", jurisdiction="GB")
    assert types(r) == [("no_comment", "Department for Transport")]


def test_the_addressed_secretary_of_state_names_the_answering_department(extract):
    r = extract("To ask the Secretary of State for the Home Department, whether Hikvision cameras are used in "
                "prisons.\n\nSpecific details of security systems are withheld on national security grounds.",
                kind="written_question", jurisdiction="GB")
    assert types(r) == [("no_comment", "Home Office")]


def test_a_class_of_vendors_is_a_star(extract):
    r = extract("Departments must cease deployment of equipment produced by companies subject to China's "
                "National Intelligence Law onto sensitive sites.", jurisdiction="GB", kind="written_statement")
    assert r["actions"][0]["type"] == "ban_installation" and r["actions"][0]["vendors"] == ["*"]


def test_a_vendor_denial(extract):
    r = extract("Hikvision denied that its cameras pose a threat to national security.")
    assert types(r) == [("denial", "Hikvision")] and r["actions"][0]["vendors"] == ["Hikvision"]


def test_passive_agent_is_the_actor(extract):
    r = extract("Dahua was added to the Entity List by the Department of Commerce in October 2019.", jurisdiction="US")
    assert types(r) == [("sanction", "US Department of Commerce")] and r["actions"][0]["date"] == "2019-10"


def test_evidence_is_a_verbatim_slice(extract):
    text = "Intro line.\n\nThe FCC banned new approvals of Hikvision equipment on 25 November 2022. More text."
    r = extract(text, jurisdiction="US")
    a = r["actions"][0]
    assert text[a["start"]:a["end"]] == a["evidence"] and a["date"] == "2022-11-25"


def test_a_deadline_is_not_the_action_date(extract):
    r = extract("The council will remove all Hikvision cameras by March 2026.", published="2024-01-10")
    assert r["actions"][0]["date"] == "2024-01-10"


def test_dates_without_a_year_are_read_against_the_documents_date(extract):
    def date(text, published="2023-02-10"):
        return extract(text, published=published, jurisdiction="US")["actions"][0]["date"]

    assert date("The US banned imports of Hikvision and Dahua equipment in November last year.") == "2022-11"
    assert date("The FCC said in November it was banning Hikvision equipment.") == "2022-11"
    assert date("The FCC banned Hikvision equipment on Thursday.", published="2022-11-26") == "2022-11-24"
    assert date("In 2021, the council removed its Hikvision cameras.") == "2021"
    assert date("The council will remove its Hikvision cameras by March.") == "2023-02-10"  # a deadline


def test_a_written_out_date_near_the_trigger_wins(extract):
    r = extract("In January 2020, in a report made public last week, the Council on Ethics recommended that the "
                "fund divest from Hikvision.", published="2020-09-23")
    assert r["actions"][0]["date"] == "2020-01"


def test_dates_by_the_guide(extract):
    """Guide 5.4: a dateline is the document's date, not the act's; a date opening the sentence scopes over it
    unless another date stands nearer the trigger; 'last October' said in October is the year before."""
    def date(text, published="2023-10-24"):
        return extract(text, published=published, jurisdiction="US")["actions"][0]["date"]

    assert date("December 2, 2020. The premier on Monday pledged to replace the Chinese-made drones.",
                published="2020-12-02") == "2020-11-30"
    assert date("In June this year the council committed to removing the Hikvision cameras, extending its "
                "November 2022 policy.") == "2023-06"
    assert date("The US banned Hikvision equipment last October.", published="2020-10-27") == "2019-10"
    assert date("The US banned Hikvision cameras on federal sites in November of 2022.") == "2022-11"
    assert date("The council reviewed its Hikvision cameras towards the end of 2022.") == "2022"


def test_acronym_defined_in_the_text_resolves(extract):
    r = extract("The Northshire Procurement Agency (NPA) reviewed its suppliers. The NPA will replace Dahua cameras.")
    assert "Northshire Procurement Agency" in r["organisations"]
    assert ("remove", "Northshire Procurement Agency") in types(r)


def test_vendor_aliases_and_chinese_names_are_one_vendor(extract):
    r = extract("Hangzhou Hikvision Digital Technology Co., Ltd. (海康威视) and Zhejiang Dahua Technology were named.")
    assert r["vendors"] == ["Hikvision", "Dahua"]


def test_general_cctv_is_not_relevant(extract):
    r = extract("The council installed new CCTV cameras in the town centre to deter crime.")
    assert r["relevant"] is False and r["actions"] == []


def test_people_with_titles(extract):
    r = extract("Baroness Neville-Rolfe replied to Lord Alton of Liverpool. Senator James Paterson said more.")
    assert r["people"] == ["Baroness Neville-Rolfe", "Lord Alton of Liverpool", "James Paterson"]


def test_a_very_long_document_is_chunked_and_offsets_stay_true(extract):
    filler = "This paragraph is about nothing in particular.\n\n" * 45000  # about 2.1 million characters
    text = filler + "The Home Office will remove Hikvision cameras from its buildings."
    r = extract(text, jurisdiction="GB")
    a = r["actions"][0]
    assert len(text) > 2_000_000 and text[a["start"]:a["end"]] == a["evidence"]


def test_empty_and_odd_text_does_not_crash(extract):
    for text in ("", "<p></p>", "\u200b\u200f Hikvision \u202e 🙂", "😀" * 100):
        r = extract(text)
        assert isinstance(r["actions"], list)


def test_organisations_by_shape_keep_their_whole_name(nlp):
    """Issue 14: 'X and Y Borough Council', 'Houses of the X Commission', 'National Institute of X and Y' are whole
    names; two councils joined by 'and' are two."""
    from nlp.extract import extract_records

    text = ("Eastham and Westham Borough Council met the Houses of the Example Commission. The National Institute "
            "of Measures and Methods advised Northtown City Council and Southtown District Council.")
    out = next(extract_records(nlp, [{"id": "t", "title": "", "text": text}]))
    assert set(out["organisations"]) >= {"Eastham and Westham Borough Council", "Houses of the Example Commission",
                                         "National Institute of Measures and Methods", "Northtown City Council",
                                         "Southtown District Council"}


def test_a_news_outlet_is_no_actor(nlp):
    """Issue 14: 'according to <outlet>' names who reports, not who acted."""
    from nlp.extract import extract_records

    text = "According to Reuters, the Example Council decided to remove Hikvision cameras from its buildings."
    out = next(extract_records(nlp, [{"id": "t", "title": "", "text": text, "kind": "news"}]))
    assert "Reuters" in out["organisations"] and all(a["actor"] != "Reuters" for a in out["actions"])


@pytest.mark.parametrize("text, kind", [
    ("Example Corp, a Hikvision reseller, said Hikvision cameras, some of them banned by the US, are cheap.", None),
    ("The FCC's ban on Hikvision equipment applies to future authorizations.", None),
    ("Those rules bar the sale of Dahua products for national security purposes.", None),
    ("The bill would bar federal agencies from buying Hikvision cameras.", None),
    ("Hikvision cameras have been banned in the US, the UK and Australia.", None),
    ("The Example Council imposed a ban on new Hikvision cameras on 3 May 2023.", "ban_procurement"),
    ("The Example Council said the Hikvision cameras would be removed by the end of the year.", "remove"),
    ("The Example Council launched a review of its Hikvision cameras on Monday.", "review"),
])
def test_an_act_reported_or_only_named(extract, text, kind):
    """Issue 14: a trigger naming an act ('the ban', 'rules that bar', a participle, a hypothetical, several
    countries at once) is no action; one reporting it ('imposed a ban', 'said ... would be removed') is."""
    r = extract(text, kind="news", jurisdiction="GB")
    assert [a["type"] for a in r["actions"]][:1] == ([kind] if kind else [])


@pytest.mark.parametrize("text, actor", [
    ("Hikvision said it was false to present its cameras as a threat to national security.", "Hikvision"),
    ("In a statement, the company said it was disappointed by the decision and would appeal.", "Hikvision"),
    ("Dahua filed a petition for review of the order with the Court of Appeals on Monday.", "Dahua"),
])
def test_vendor_rebuttals_in_plain_reporting(extract, text, actor):
    """Issue 14: a vendor speaking against a decision or an allegation is its denial."""
    r = extract("The US banned Hikvision and Dahua cameras. " + text, kind="news", jurisdiction="US")
    assert ("denial", actor) in [(a["type"], a["actor"]) for a in r["actions"]]


def test_a_non_answer_is_no_denial(extract):
    """Issue 14: 'Hikvision did not respond to a request for comment' is nobody's act."""
    r = extract("The council removed its Hikvision cameras. Hikvision did not respond to a request for comment.",
                kind="news", jurisdiction="GB")
    assert "denial" not in [a["type"] for a in r["actions"]]


def test_the_body_the_sentence_makes_the_actor(extract):
    """Guide 5.2's two examples: 'departments were ordered' names no minister, so the government acts; a minister
    telling what was done is their department, with the office from the vocabulary's office_holders when the text
    gives none; told at both levels in one document, the department is kept."""
    def actors(text, published="2022-11-25"):
        return types(extract(text, published=published, jurisdiction="GB", kind="news"))

    assert actors("On Thursday government departments were ordered to stop installing Chinese-made cameras at "
                  "sensitive sites.") == [("ban_installation", "UK Government")]
    assert actors("According to Oliver Dowden, departments were instructed to cease deploying Hikvision cameras onto "
                  "sensitive sites.") == [("ban_installation", "Cabinet Office")]
    assert actors("According to Oliver Dowden, departments were instructed to cease deploying Hikvision cameras onto "
                  "sensitive sites.", published="2019-01-10") == [("ban_installation", "UK Government")]
    assert actors("The British government has told departments to stop deploying Hikvision cameras. Cabinet Office "
                  "minister Oliver Dowden said departments had been instructed to cease deploying such cameras.") \
        == [("ban_installation", "Cabinet Office")]


def test_unnamed_groups_take_plain_labels(extract):
    r = extract("It comes months after dozens of lawmakers called for a ban on Hikvision cameras.", jurisdiction="GB",
                kind="news")
    assert types(r) == [("call_for_ban", "MPs")]


def test_a_closed_relative_clause_does_not_act(extract):
    r = extract("Jo Example, who chairs the Commons Foreign Affairs Committee, said Hikvision cameras should be "
                "banned.", jurisdiction="GB", kind="news")
    assert types(r) == [("call_for_ban", "Jo Example")]


def test_bills_sponsors_and_the_laws_that_list(extract):
    """A plural title before names is no actor ('Senators <a> (D-Va.) and <b> (R-Fla.) have introduced'): the first
    sponsor; a legislator's press office speaks for the legislator; an NDAA that would put a vendor on the Covered
    List is the law's act, not the Commission's."""
    r = extract("Senators Jo Example (D-Va.) and Sam Other (R-Fla.) have introduced the Drone Security Act, which "
                "would stop federal agencies from buying DJI drones.", jurisdiction="US", kind="news")
    assert ("legislation", "Jo Example") in types(r)
    r = extract("I am proud that my bill to ban DJI drones from federal purchases passed the committee today.",
                jurisdiction="US", kind="gov_other", department="Office of Senator Jo Example")
    assert all(a["actor"] == "Jo Example" for a in r["actions"]) and r["actions"]
    r = extract("The NDAA requires an agency to audit DJI within a year, failing which DJI is added to the FCC "
                "Covered List.", jurisdiction="US", kind="news", published="2024-12-20")
    assert ("legislation", "US Congress") in types(r)


@pytest.mark.parametrize("text, outlet", [
    ("Ann Writer, The Example Times.\nMPs have called for a wider ban on Hikvision cameras.", "The Example Times"),
    ("Examplewire, 8 June 2023.\nThe council will remove its Hikvision cameras.", "Examplewire"),
    ("Jo Example, Managing Editor, Example Insider. November 13, 2023.\nHikvision replied.", "Example Insider"),
    ("LONDON, England (Example Wire, 5 January 2020). The council removed Hikvision cameras.", "Example Wire"),
    ("According to the Northshire Gazette, the council will remove Hikvision cameras.", "Northshire Gazette"),
])
def test_outlets_by_their_shape(extract, text, outlet):
    """Guide 3: news outlets are organisations: a masthead name, the outlet of a news text's source line."""
    assert outlet in extract(text, kind="news")["organisations"]


def test_a_datelines_place_is_no_outlet(extract):
    r = extract("Brussels, 11 November 2020. In an open letter to the Commission, members urged a ban on Hikvision "
                "cameras in the institutions.", kind="news")
    assert "Brussels" not in r["organisations"]


def test_the_body_a_person_directs_acts(extract):
    """'<officer> directed the Army to stop all use': a person without an office acts for the body directed."""
    r = extract("In a memorandum dated August 2, Lt. Gen. Jo Example directed the U.S. Army to stop all use of DJI "
                "drones at once.", jurisdiction="US", kind="news", published="2017-08-04")
    assert ("remove", "US Army") in types(r)
