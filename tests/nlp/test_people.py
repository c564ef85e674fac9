"""People by the shapes names take in news, Hansard and official texts (guide section 4; issue 14)."""

import pytest

from nlp.people import merge, people


def names(text):
    return sorted(merge([value for _, _, value in people(text)]))


@pytest.mark.parametrize("text, expected", [
    ("The plan was welcomed by transport minister Jane Example on Monday.", ["Jane Example"]),
    ("By Ann Writer & Tom Other, Example News, 3 March 2024.", ["Ann Writer", "Tom Other"]),
    ("(Reporting by Ann Writer; Editing by Tom Other and Kim Third)", ["Ann Writer", "Tom Other", "Kim Third"]),
    ("A camera on a street corner (Lee Lens/Example Photos).", ["Lee Lens"]),
    ("By the Commission: Chairwoman Roe and Commissioners Doe, Poe and Moe issuing statements.",
     ["Roe", "Doe", "Poe", "Moe"]),
    ("The Hon Jane Example MP said the department would act.", ["Jane Example"]),
    ("Example Group's Jo Researcher said the figures were wrong.", ["Jo Researcher"]),
    ("I thank the Member for Somewhere (Sam Seat) for his question.", ["Sam Seat"]),
    ("Jane Example (Northern Region) asked the minister about cameras.", ["Jane Example"]),
    ("The order was signed by Secretary of Trade Jo Example and Treasury Secretary Sam Other.",
     ["Jo Example", "Sam Other"]),
    ("said Under Secretary for Industry and Security Alan F. Example.", ["Alan F. Example"]),
    ("the group's Head of Research & Investigations, Kim Third, about FOI.", ["Kim Third"]),
    ("Senator Ana de Example praised the vote. De Example said later that it was late.", ["Ana de Example"]),
    ("Answer from Minister Yeşilgöz-Example (Justice).", ["Yeşilgöz-Example"]),
    ("Ann Writer, The Example Times.\nThe council voted on Monday.", ["Ann Writer"]),
    ("Tom Other, Sep 29, 2024.\nRelations between the two countries cooled.", ["Tom Other"]),
    ("17 October 2019. Ann Writer and Tom Other, Example Wire: the funds sold.", ["Ann Writer", "Tom Other"]),
    ("(Reporting by Ann Writer in Washington and Tom Other in Ottawa; Editing by Kim Third)",
     ["Ann Writer", "Tom Other", "Kim Third"]),
    ("Featured image: Lee Lens.", ["Lee Lens"]),
    ("A briefing by Jo Example, the second in a series.", ["Jo Example"]),
    ("IN THE HOUSE | Mr. EXAMPLE (for himself, Mr. OTHERSON) introduced the following bill", ["Example", "Otherson"]),
    ("Senators Jo Example (D-Va.) and Sam Other (R-Fla.) have introduced the bill.", ["Jo Example", "Sam Other"]),
    ("Kim Third, who chairs the committee, said it should go further.", ["Kim Third"]),
    ("Yours sincerely\nJo Example\nMarketing Director\nExample UK", ["Jo Example"]),
])
def test_names_with_their_shapes(text, expected):
    """A role, byline, credit, list after a plural title, suffix, possessive owner or constituency marks a name."""
    assert names(text) == sorted(expected)


def test_a_surname_gives_way_to_the_full_name():
    """'Mr Example' is the 'Jane Example' the text names in full; a possessive is not part of a name."""
    assert names("Minister Jane Example spoke. Later Mr Example's office declined to comment.") == ["Jane Example"]


def test_a_possessive_ends_a_name():
    """'Jo Example’s Bipartisan Act': the owner is the person, the words after are not."""
    assert names("Today Sen. Jo Example’s Bipartisan Act was added to the bill.") == ["Jo Example"]


def test_peers_keep_their_hansard_title():
    """'Lady Somewhere' in the Lords is a baroness; a territorial title stays whole."""
    assert names("my noble friend Lady Somewhere and Lord Smith of Example") == \
        ["Baroness Somewhere", "Lord Smith of Example"]
    assert names("the noble Lord, Lord Smith of King’s Example, said") == ["Lord Smith of Kings Example"]


@pytest.mark.parametrize("text", [
    "The Executive Branch Efforts section lists earlier orders.",
    "By The Example Press. Posted 28 June 2025.",
    "Statement by the Federal Example Commission on equipment.",
    "Example Securities, Aug 20 (2024).\nThe vendor's revenue rose.",
    "Secretary of State for Levelling Up, Housing and Communities (answered on 3 May).",
])
def test_bodies_and_headings_are_not_people(text):
    """Capitalised headings, outlets and bodies after 'by' are not names."""
    assert names(text) == []
