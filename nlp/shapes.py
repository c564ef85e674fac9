"""Regular shapes of the domain's language: organisation names not in the
gazetteer, acronyms defined in the text, and dates (people: nlp/people.py).

Each finder takes the text and yields (start, end, value) character spans.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from datetime import date, timedelta
from functools import lru_cache

from .people import NOT_NAMES, people  # noqa: F401  people have their own module

CW = r"[A-Z][\w'’\-]*"  # a capitalised word
_CONNECT = r"(?:,[ \t]+|[ \t]+(?:and|&|of the|for the|on the|of|for|the|on|in)[ \t]+|[ \t]+)"
_HEADS_FIRST = r"Department|Ministry|Office|Bureau|Agency|Commission|Committee|Council|Authority|Administration|Directorate|Secretariat"
_HEADS_LAST = (r"Committee|Council|Police|Constabulary|Commission|Agency|Authority|Ministry|Directorate|Institute|"
               r"Party|Assembly|Parliament|Department|Office|Service|Centre|Center|Bureau|Administration|Board|Watch|"
               r"Foundation|Trust|Coalition|Alliance|Network|Memorial|Museum|Library|University|Hospital|Airport")
# "Department for X", with up to two modifiers before it ("Irish Council for ...", "Florida Department of ...")
ORG_HEAD_FIRST = re.compile(rf"\b(?:{CW}[ \t]+){{0,2}}(?:{_HEADS_FIRST})[ \t]+(?:for|of|on)[ \t]+(?:the[ \t]+)?{CW}"
                            rf"(?:{_CONNECT}{CW})*")
# "X Y Council", the words joined by "and", "of (the)" ("Tonbridge and Malling Borough Council", "Houses of the
# Oireachtas Commission"), and what follows the head ("National Institute of Standards and Technology")
_INNER = r"(?:[ \t]+(?:and|&|of the|of)[ \t]+|[ \t]+)"
_AFTER = rf"(?:[ \t]+(?:of|for|on)[ \t]+(?:the[ \t]+)?{CW}(?:(?:[ \t]+(?:and|&|of the|of|for the|for|on)[ \t]+|[ \t]+){CW})*)?"
ORG_HEAD_LAST = re.compile(rf"\b(?:{CW}{_INNER}){{1,6}}(?:{_HEADS_LAST})\b{_AFTER}(?![ \t]+[A-Z])")
LEADING_NOISE = {"Now", "Meanwhile", "Also", "Then", "Elsewhere", "Separately", "The", "A", "An", "This", "That", "These", "Those", "Our", "Its", "His", "Her", "Their", "My",
                 "Each", "Every", "Any", "Some", "In", "On", "At", "For", "By", "From", "With", "As", "If", "When",
                 "While", "Since", "And", "But", "Both", "Whether", "What", "Which", "Did", "Does", "Do", "Has",
                 "Have", "Will", "Would", "Can", "Could", "Should", "Is", "Are", "Was", "Were", "New", "Other",
                 "All", "Her", "Majesty's", "Majesty’s", "Written", "Ministerial", "Secretary", "State", "Minister",
                 "Government", "Commons", "Lords", "Chief", "Senior", "Local", "Former", "Current", "Deputy", "General",
                 "Leader", "Members", "Member", "Chair", "Chairman", "Director", "Head"}

ACRONYM_AFTER = re.compile(r"[ \t]*\((?:the[ \t]+)?([A-Z][A-Za-z&]{1,9})(?:[ \t]+or[ \t]+([A-Z][A-Za-z&]{1,9}))?\)")

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
_MON = r"(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?[ \t]+{_MON},?[ \t]+((?:19|20)\d{{2}})\b")
MONTH_DAY_YEAR = re.compile(rf"\b{_MON}[ \t]+(\d{{1,2}})(?:st|nd|rd|th)?,?[ \t]+((?:19|20)\d{{2}})\b")
MONTH_YEAR = re.compile(rf"\b{_MON}[ \t]+(?:of[ \t]+)?((?:19|20)\d{{2}})\b")  # "November of 2022" too
ISO_DATE = re.compile(r"\b((?:19|20)\d{2})-(\d{2})-(\d{2})\b")
IN_YEAR = re.compile(r"\b(?:in|since|during|from|early|late|mid|(?:the )?(?:end|start|beginning|middle|spring|summer|"
                     r"autumn|fall|winter) of)[ \t]+((?:19|20)\d{2})\b", re.I)
# a month or a weekday without its year, read against the document's date: "in November last year",
# "said on Thursday"
MONTH_ALONE = re.compile(rf"\b(in|on|since|during|from|last|early|late|mid|until|by)[ \t]+{_MON}\b(?![ \t]+\d)"
                         r"(?:[ \t]+(last|this)[ \t]+year\b)?", re.I)
WEEKDAY = re.compile(r"\b(?:(?i:on|last|since|from|until)[ \t]+|(?<=[a-z] ))(Monday|Tuesday|Wednesday|Thursday|Friday|"
                     r"Saturday|Sunday)\b(?!,?[ \t]+\d)")
# a day and month without the year, read against the document's date: "on 23 October", "Oct. 8", "December 9"
DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?[ \t]+{_MON}\b(?!,?[ \t]+\d)")
MONTH_DAY = re.compile(rf"\b{_MON}[ \t]+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?[ \t]+\d)(?![ \t]*(?:%|per))")
YEAR_WORD = re.compile(r"\b(last|this)[ \t]+year\b", re.I)
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
RELATIVE = re.compile(r"\b(today|yesterday|this week|last week)\b", re.I)


# news writes "Tonbridge and Malling council", "Sevenoaks council": a named local council, lower-case
LOCAL_COUNCIL = re.compile(rf"\b(?:{CW}[ \t]+(?:(?:and|&)[ \t]+)?){{1,4}}council\b"
                           r"(?![ \t]+(?:tax|house|houses|homes|estates?|flats?|housing|chamber|elections?)\b)")


def _without_leading_noise(text: str, start: int, words: list[str], end: int) -> tuple[int, list[str]]:
    """Drop leading words that are not part of a name ("The", "Now", a possessive): (new start, words left)."""
    while words and (words[0] in LEADING_NOISE or words[0].endswith(("'s", "’s", "ing"))):
        start = text.index(words[1], start + len(words[0])) if len(words) > 1 else end
        words = words[1:]
    return start, words


def organisation_shapes(text: str):
    """Organisation names by their shape: 'Department for X', 'X Y Council', 'X council'."""
    for m in LOCAL_COUNCIL.finditer(text):
        start, words = _without_leading_noise(text, m.start(), m.group(0).split(), m.end())
        if len(words) >= 2 and words[0][0].isupper():
            yield start, m.end(), text[start:m.end() - len("council")] + "Council"
    head_last = [piece for m in ORG_HEAD_LAST.finditer(text) for piece in _pieces(m)]
    for pattern in (ORG_HEAD_FIRST, ORG_HEAD_LAST):
        for begin, value in (((m.start(), m.group(0)) for m in ORG_HEAD_FIRST.finditer(text))
                             if pattern is ORG_HEAD_FIRST else head_last):
            stop = begin + len(value)
            if pattern is ORG_HEAD_FIRST:  # '... Strategy and Leicester City Council': stop before the next name
                for other, _ in head_last:
                    if begin < other < stop:
                        value = re.sub(r"(?:,|[ \t]+(?:and|&))?[ \t]*$", "", text[begin:other])
                        break
            start, words = _without_leading_noise(text, begin, value.split(), stop)
            if len(words) < 2 or (start > 0 and text[start - 1] in "&/") or not words[0][0].isupper():
                continue  # "R&D Centre", "of the Council" are no names
            end = begin + len(value)
            value = text[start:end].rstrip(",")
            yield start, start + len(value), value


# news outlets by their shape: capitalised words ending in a masthead word ("The Epoch Times", "Small UAS News")
_MASTHEAD = r"Times|News|Post|Daily|Journal|Herald|Guardian|Telegraph|Tribune|Gazette|Press|Wire|Insider|Weekly|Magazine|Mirror|Observer|Chronicle|Express"
OUTLET = re.compile(rf"\b(?:{CW}[ \t]+){{1,3}}(?:{_MASTHEAD})\b(?![ \t]+(?:[A-Z]|(?:de|du|of|for)\b))")
# a source line opening a text: "<Outlet>, <date>.", "<Name>, <Outlet>.", "<Name>, <Role>, <Outlet>. <date>",
# "<Place> (<Outlet>, <date>)."
_PIECE = r"[A-Za-z][\w.&'’-]*(?:[ \t]+(?:[A-Z0-9][\w.&'’-]*|of|the|de|du|la|and|&)){0,4}"
_WHEN = rf"(?:{_MON}[ \t]+\d{{1,2}}|\d{{1,2}}(?:st|nd|rd|th)?[ \t]+{_MON}|(?:19|20)\d{{2}})"
SOURCE_PAREN = re.compile(rf"\((?:[ \t]*)({_PIECE})(?:,[^()\n]{{0,40}})?\)")
SOURCE_PIECES = re.compile(r"[^,;\n]+")


def outlet_shapes(text: str, not_names=None, source_line: bool = True):
    """News outlets by their shape: masthead names anywhere ("the Washington Times reported"), and the outlet of
    the source line that opens a text (a byline with its outlet, a dateline's agency)."""
    for m in OUTLET.finditer(text):
        if m.group(0).startswith("The "):  # "The Epoch Times": the article is part of a masthead
            if len(m.group(0).split()) >= 3:  # "The Journal" alone names no one paper
                yield m.start(), m.end(), m.group(0)
            continue
        start, words = _without_leading_noise(text, m.start(), m.group(0).split(), m.end())
        if len(words) >= 2:
            yield start, m.end(), text[start:m.end()]
    if not source_line:  # only reporting opens with a byline or dateline
        return
    line_end = text.find("\n")
    line = text[:line_end if line_end >= 0 else len(text)]
    if len(line) > 160:
        return
    for m in SOURCE_PAREN.finditer(line):
        if m.start() < 60 and _outlet_like(m.group(1)):
            yield m.start(1), m.end(1), m.group(1)
    named = [value for _, _, value in people(line, not_names if not_names is not None else NOT_NAMES)]
    pieces, at = [], 0
    for piece in re.split(r",|;|\.(?=[ \t])", line):
        pieces.append((at, piece))
        at += len(piece) + 1
    dated = any(re.search(_WHEN, piece) for _, piece in pieces)
    bylined = bool(named) and any(n in pieces[0][1] for n in named)
    if not dated and not (bylined and len(pieces) <= 4):
        return
    if not bylined and re.search(rf"{_WHEN}[^.\n]*\.[ \t]+[A-Z][^\n]{{20,}}", line):
        return  # "Brussels, 11 November 2020. In an open letter ...": a dateline's place, then the story
    for at, piece in pieces[:4]:
        if re.search(_WHEN, piece):
            break  # the outlet stands before the date
        name = re.sub(r"^(?:By|by)[ \t]+", "", piece.strip().rstrip(".:"))
        if not name or any(n in name for n in named) or not _outlet_like(name):
            continue
        words = name.split()
        if len(words) > 5 or words[-1] in ("Editor", "Reporter", "Correspondent", "Writer", "Team", "Staff") \
                or words[0] in ("Managing", "Senior", "Chief", "Deputy", "Political", "Posted", "Published", "Updated"):
            continue
        offset = at + piece.find(name)
        yield offset, offset + len(name), name


def _outlet_like(name: str) -> bool:
    """A name an outlet could have: capitalised words ("Gulf News", "NordSIP") or a web address ("Ferra.ru"),
    not a date, not a dateline's place in capitals ("MANILA")."""
    if not re.fullmatch(_PIECE, name) or re.match(_WHEN, name) or "(" in name or re.fullmatch(_MON, name):
        return False
    if not (name[0].isupper() or re.search(r"\.[a-z]{2,3}$", name)):
        return False
    if re.search(r"\b(?:No|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b", name):
        return False
    return not (name.isupper() and len(name) > 4)


HEAD_AND = re.compile(rf"\b(?:{_HEADS_LAST})(?=[ \t]+(?:and|&)[ \t]+[A-Z])")


def _pieces(m: re.Match) -> list[tuple[int, str]]:
    """'Cambridge City Council and Huntingdonshire District Council' is two names: (start, value) each."""
    value, start, out = m.group(0), m.start(), []
    for cut in HEAD_AND.finditer(value):
        out.append((start, value[start - m.start():cut.end()]))
        rest = value[cut.end():]
        start = m.start() + cut.end() + len(rest) - len(re.sub(r"^[ \t]+(?:and|&)[ \t]+", "", rest))
    out.append((start, value[start - m.start():]))
    return out


def acronym_definitions(text: str, spans):
    """'Long Name (LN)': yields (acronym, canonical) for each long-name span followed by one."""
    for start, end, canonical in spans:
        m = ACRONYM_AFTER.match(text, end)
        if m:
            for acronym in m.groups():
                if acronym:
                    yield acronym, canonical


def dates(text: str, published: date | None = None):
    """(start, end, value, deadline, relative): value is YYYY-MM-DD, YYYY-MM or YYYY; relative when it was
    read against the document's date ("in November", "on Thursday", "last year")."""
    taken: list[tuple[int, int]] = []

    def free(s, e):
        return all(e <= a or s >= b for a, b in taken)

    def emit(m, value, relative=False, deadline=False):
        taken.append((m.start(), m.end()))
        before = text[max(0, m.start() - 12):m.start()].lower()
        deadline = deadline or bool(re.search(r"\b(by|until|till|before|deadline|end of)\s*$", before))
        return m.start(), m.end(), value, deadline, relative

    found = []
    for m in DAY_MONTH_YEAR.finditer(text):
        value = _ymd(m.group(3), m.group(2), m.group(1))
        if value:
            found.append(emit(m, value))
    for m in MONTH_DAY_YEAR.finditer(text):
        value = _ymd(m.group(3), m.group(1), m.group(2))
        if value and free(m.start(), m.end()):
            found.append(emit(m, value))
    for m in ISO_DATE.finditer(text):
        if free(m.start(), m.end()):
            try:
                found.append(emit(m, date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()))
            except ValueError:
                pass
    for m in MONTH_YEAR.finditer(text):
        if free(m.start(), m.end()):
            found.append(emit(m, f"{m.group(2)}-{MONTHS[m.group(1).lower()]:02d}"))
    for m in IN_YEAR.finditer(text):
        if free(m.start(1), m.end(1)):
            found.append(emit(m, m.group(1)))
    if published:
        for m in MONTH_ALONE.finditer(text):
            if not free(m.start(), m.end()):
                continue
            month = MONTHS[m.group(2).lower().rstrip(".")]
            ahead = m.group(1).lower() in ("by", "until")  # a deadline looks forward
            if m.group(3):
                year = published.year - (1 if m.group(3).lower() == "last" else 0)
            elif m.group(1).lower() == "last":  # "last October", said in October or later: the year before
                year = published.year if month < published.month else published.year - 1
            elif ahead:
                year = published.year if month >= published.month else published.year + 1
            else:
                year = published.year if month <= published.month else published.year - 1
            found.append(emit(m, f"{year}-{month:02d}", relative=True, deadline=ahead))
        for pattern, day, month in ((DAY_MONTH, 1, 2), (MONTH_DAY, 2, 1)):
            for m in pattern.finditer(text):
                if not free(m.start(), m.end()):
                    continue
                number, name = int(m.group(day)), m.group(month).lower().rstrip(".")
                year = published.year if (MONTHS[name], number) <= (published.month, published.day) \
                    else published.year - 1
                value = _ymd(str(year), name, str(number))
                if value:
                    found.append(emit(m, value, relative=True))
        for m in WEEKDAY.finditer(text):
            if free(m.start(), m.end()):
                back = (published.weekday() - WEEKDAYS.index(m.group(1).lower())) % 7
                found.append(emit(m, (published - timedelta(days=back)).isoformat(), relative=True))
        for m in YEAR_WORD.finditer(text):
            if free(m.start(), m.end()):
                found.append(emit(m, str(published.year - (1 if m.group(1).lower() == "last" else 0)), relative=True))
        for m in RELATIVE.finditer(text):
            word = m.group(1).lower()
            offset = {"today": 0, "yesterday": 1, "this week": 0, "last week": 7}[word]
            found.append(emit(m, (published - timedelta(days=offset)).isoformat(), relative=True))
    return sorted(found)


def _ymd(year: str, month: str, day: str) -> str | None:
    try:
        return date(int(year), MONTHS[month.lower().rstrip(".")], int(day)).isoformat()
    except (ValueError, KeyError):
        return None


ABBREVIATIONS = {"hon", "rt", "cf", "no", "nos", "para", "paras", "col", "cols", "art", "sec", "approx", "e.g", "i.e",
                 "etc", "vs", "v", "ltd", "co", "inc", "corp", "gov", "govt", "dept", "st", "jan", "feb", "mar", "apr",
                 "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mr", "mrs", "ms", "dr", "prof", "sen", "rep",
                 "cllr", "gen", "lt", "col", "u.s", "u.k", "u.n", "e.u", "p.m", "a.m", "deb", "hl", "op", "fig"}
_BOUNDARY = re.compile(r"\n|[.!?][\"'”’)\]]*(?=\s)")
_WORD_BEFORE = re.compile(r"([\w.]+)$")
WINDOW = 3000


def _is_boundary(text: str, m: re.Match) -> bool:
    if m.group(0) == "\n" or m.group(0)[0] != ".":
        return True
    after = re.match(r"[ \t]+([a-z])", text[m.end():m.end() + 4])
    if after and m.group(0).endswith(")"):
        return False  # "Senators Jo Example (D-Va.) and ... (R-Fla.) have introduced": no sentence starts in lower case
    word = _WORD_BEFORE.search(text, max(0, m.start() - 40), m.start())
    if not word:
        return True
    token = word.group(1).lower()
    if token in ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
        return False  # "hon.", "No.", an initial
    return not re.fullmatch(r"(?:[a-z]\.)+[a-z]", token)  # "U.S", "e.g"


@lru_cache(maxsize=8)
def _boundaries(text: str) -> tuple[list[int], list[int], list[int]]:
    """Every sentence boundary of a text, found once: (match starts, ends, where the sentence stops)."""
    starts, ends, stops = [], [], []
    for m in _BOUNDARY.finditer(text):
        if _is_boundary(text, m):
            starts.append(m.start())
            ends.append(m.end())
            stops.append(m.end() if m.group(0) != "\n" else m.start())
    return starts, ends, stops


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """Character bounds of the sentence holding text[start:end], white space stripped.

    A sentence ends at a line break, or at . ! ? (with closing quotes) before
    white space, unless the full stop ends an abbreviation or an initial. A
    sentence is cut at WINDOW characters either side of the match.
    """
    starts, ends, stops = _boundaries(text)
    left = max(0, start - WINDOW)
    s = left
    i = bisect_right(ends, start) - 1  # the last boundary ending at or before the match
    if i >= 0 and starts[i] >= left:
        s = ends[i]
    e = min(len(text), end + WINDOW)
    j = bisect_left(starts, end)  # the first boundary starting at or after the match's end
    if j < len(starts) and ends[j] <= e:
        e = stops[j]
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e
