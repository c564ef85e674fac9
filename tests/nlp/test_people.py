"""People by the shapes names take in news, Hansard and official texts (guide section 4; issue 14)."""

import pytest

from nlp.people import merge, people


def names(text):
    return merge([value for _, _, value in people(text)])


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
])
def test_names_with_their_shapes(text, expected):
    """A role, byline, credit, list after a plural title, suffix, possessive owner or constituency marks a name."""
    assert names(text) == expected


def test_a_surname_gives_way_to_the_full_name():
    """'Mr Example' is the 'Jane Example' the text names in full; a possessive is not part of a name."""
    assert names("Minister Jane Example spoke. Later Mr Example's office declined to comment.") == ["Jane Example"]


def test_peers_keep_their_hansard_title():
    """'Lady Somewhere' in the Lords is a baroness; a territorial title stays whole."""
    assert names("my noble friend Lady Somewhere and Lord Smith of Example") == \
        ["Baroness Somewhere", "Lord Smith of Example"]


@pytest.mark.parametrize("text", [
    "The Executive Branch Efforts section lists earlier orders.",
    "By The Example Press. Posted 28 June 2025.",
    "Statement by the Federal Example Commission on equipment.",
])
def test_bodies_and_headings_are_not_people(text):
    """Capitalised headings, outlets and bodies after 'by' are not names."""
    assert names(text) == []
