"""People named in a text (guide section 4), by the shapes names take in the domain's writing.

Peers by their Hansard title ("Lord Alton of Liverpool"); other people by a title,
a role or office before the name ("Senator", "defence minister", "marketing director",
"Chief Inspector"), a member's suffix ("MP", "TD"), "The Hon", a reporting verb after
the name, an apposition, a constituency in brackets, a byline ("By ...",
"Reporting by ..."), a photo credit, a list after a plural title ("Commissioners Carr,
Starks and Simington"), or a contact line. Honorifics are dropped; a possessive
"'s" is not part of the name. ``people(text)`` yields (start, end, name) spans;
``merge`` turns "Mr Marles" into "Richard Marles" when the text names him in full.
"""

from __future__ import annotations

import re

_UP = r"A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ"
_LOW = r"a-zß-öø-ÿā-ž"  # Latin-1 and Latin Extended-A ("Yeşilgöz", "Ó Fearghaíl")
CW = rf"(?:[{_UP}]['’])?[{_UP}][{_LOW}'’\-]+(?:[{_UP}][{_LOW}'’\-]+)?"  # "Ellison", "McManus", "O’Rielly"
INITIAL = rf"[{_UP}]\."
# lower-case particles and a lone capital of a surname: "Leila de Lima", "Vincent van Quickenborne", "Seán Ó Fearghaíl"
PARTICLE = rf"(?:van|von|de|der|den|del|della|di|da|du|dos|la|le|ter|ten|bin|[{_UP}])"
# a name: two or three capitalised words, middle initials and particles allowed ("Alan F. Estevez"), or
# initials and a surname ("J.M.A. Lensink")
NAME = rf"(?:(?:{INITIAL}){{1,3}}[ \t]?{CW}|{CW}(?:[ \t]+(?:{INITIAL}[ \t]+|{PARTICLE}[ \t]+)?{CW}){{1,2}})"
ONE = rf"{CW}(?:[ \t]+{CW})?"  # a surname alone or a short name, in lists after a plural title

PEER = re.compile(rf"\b(?:The[ \t]+)?(Lord|Baroness|Lady|Viscount|Earl|Baron)[ \t]+({CW}(?:[ \t]+{CW})?"
                  rf"(?:[ \t]+of[ \t]+{CW}(?:[ \t]+{CW}){{0,2}})?)")
TITLES = (r"Sir|Dame|Dr\.?|Professor|Prof\.?|Mr\.?|Mrs\.?|Ms\.?|Miss|Senator|Sen\.|Rep\.|Representative|Congressman|"
          r"Congresswoman|Councillor|Cllr\.?|Commissioner|Secretary|Minister|President|Ambassador|Chairman|"
          r"Chairwoman|Chairperson|Chair|Director|Premier|Chancellor|Governor|Mayor|Judge|Justice|Inspector|"
          r"Superintendent|Constable|General|Gen\.|Admiral|Colonel|Col\.|Captain|Lt\.|Sheriff|Attorney-General|"
          r"Treasurer|Speaker|Leader|Member|Officer|Spokesperson|Spokesman|Spokeswoman|Delegate|Counsel|Administrator|"
          r"Presenter|Reporter|Editor|Correspondent|Lawmaker|Assemblyman|Assemblywoman|Assemblymember")
TITLED = re.compile(rf"\b(?:{TITLES}),?[ \t]+({NAME})")
# titles that also go before a surname alone: "Mr Marles", "Senator Watt", "Commissioner Carr"
SURNAME_TITLES = re.compile(rf"\b(?:Mr\.?|Mrs\.?|Ms\.?|Miss|Dr\.?|Sir|Dame|Senator|Sen\.|Rep\.|Representative|"
                            rf"Congressman|Congresswoman|Councillor|Cllr\.?|Commissioner|President|Chairman|"
                            rf"Chairwoman|Judge|Governor|Mayor|Premier|Professor|Prof\.?|Minister|Secretary)"
                            rf"[ \t]+({CW})\b"
                            rf"(?![ \t]+(?:{PARTICLE}[ \t]+)?[{_UP}])")
# a role in lower case before a name: "defence minister Richard Marles", "marketing director Justin Hollis"
ROLE = re.compile(rf"\b(?:minister|secretary|senator|councillor|chairman|chairwoman|chair|director|spokesman|"
                  rf"spokeswoman|spokesperson|researcher|reporter|correspondent|editor|commissioner|governor|"
                  rf"president|premier|mayor|leader|officer|lawyer|professor|judge|chief|head|analyst|expert|"
                  rf"founder|co-founder|trustee|manager|executive|CEO|official|member|MP|TD|MLA|MSP|MEP|"
                  rf"blogger|campaigner|activist|deputy|inspector|superintendent|photographer|writer|ambassador|"
                  rf"Cathaoirleach|Comhairle|emeritus|lawmaker|legislator|delegate|counsel|presenter|administrator|adviser|"
                  rf"advisor|journalist|economist|engineer|scientist|academic),?[ \t]+({NAME})")
# a title with its office before a name: "Secretary of State Mike Pompeo", "Under Secretary for Industry and
# Security Alan F. Estevez", "Director of Policy and Advocacy Sam Goodman": the last two words (with an initial)
TITLE_OF = re.compile(rf"\b(?:Secretary|Minister|Director|Commissioner|Chair|Chairman|Chairwoman|Head|Chief|"
                      rf"President|Governor|Ambassador|Administrator|Attorney[ -]General|Chancellor)[ \t]+(?:of|for)[ \t]+"
                      rf"(?:(?:[{_UP}][\w’'&.-]*|and|of|the|for|&)[ \t]+){{0,6}}?[{_UP}][\w’'&.-]*,?[ \t]+"
                      rf"({CW}(?:[ \t]+{INITIAL})?[ \t]+{CW})(?![ \t]+[{_UP}])(?![\w’'-])")
# a member in capitals in a bill's heading: "Mr. GIMENEZ (for himself, Mr. GREEN of Tennessee", "By Ms. STEFANIK:",
# "BY SENATOR MILLIGAN"
CAPITALS = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|MR|MRS|MS|Senator|SENATOR|Representative|REPRESENTATIVE|Rep|REP)\.?[ \t]+"
                      rf"([{_UP}]{{3,}}(?:-[{_UP}]{{2,}})?)\b(?![ \t]*[{_LOW}])")
# a signature: a name on its own line over a job title ("Justin Hollis\nMarketing Director")
SIGNATURE = re.compile(rf"(?:^|\n)[ \t]*({NAME})[ \t]*\n[ \t]*(?:[{_UP}][\w&-]*[ \t]+){{0,3}}(?:Director|Manager|"
                       rf"Officer|Secretary|Minister|Commissioner|Editor|Chair|President|Counsel|Head|Chief|Adviser|"
                       rf"Advisor|Lead|Analyst|Coordinator|Representative)\b")
# a byline line: names and their outlet or date ("Lily Zhou, The Epoch Times.", "Vikrant Shekhawat, Sep 29, 2024.",
# "17 October 2019. Ann Writer and Tom Other, Reuters:")
_DATE = r"(?:\d{1,2}[ \t]+[A-Z][a-z]+\.?[ \t]+\d{4}|[A-Z][a-z]+\.?[ \t]+\d{1,2},?[ \t]+\(?\d{4}\)?)"
LINE_BYLINE = re.compile(rf"(?:^|\n)[ \t]*(?:{_DATE}\.[ \t]+)?({NAME}(?:(?:,|[ \t]+and)[ \t]+{NAME}){{0,3}}),[ \t]+"
                         rf"(?=[^\n]{{0,60}}?(?:{_DATE}|[.:](?:[ \t]|\n|$)))")
HON = re.compile(rf"\b(?:The[ \t]+)?(?:Rt\.?[ \t]+)?Hon\.?[ \t]+({NAME})")
INVERTED = re.compile(rf"\b(?:said|says|reports|reported|writes|wrote|[Aa]ccording to|welcomed by|signed by)[ \t]+({NAME})(?=[,.;:]|$)", re.M)
MEMBER_FOR = re.compile(rf"\bMember for [^()\n]{{2,60}}\(({NAME})\)")
DATED_BYLINE = re.compile(rf"(?:^|\n)({NAME}),[ \t]+\d{{1,2}}(?:st|nd|rd|th)?[ \t]+[{_UP}][{_LOW}]+[ \t]+\d{{4}}")
MEMBER_PLACE = re.compile(rf"(?:^|\n|\.[ \t]+)({NAME})[ \t]+\([{_UP}][^()\n]{{2,60}}\)")
_PLACE = rf"(?:[ \t]+in[ \t]+{CW}(?:[ \t]+{CW})?)?"  # "Reporting by Ann Writer in Washington and ..."
BYLINE = re.compile(rf"(?:(?:^|\n|[.;(][ \t]*|,[ \t]+)(?:[Bb]y|Reporting by|Editing by|Writing by|Additional "
                    rf"reporting by|Contact reporter|[Cc]ontact:)|[Ww]ritten by|(?:briefing|report|article|column|"
                    rf"analysis|commentary|op-ed|blog post|letter) by|CONTACT:)[ \t]+({NAME}{_PLACE}(?:[ \t]*(?:,|&|and)"
                    rf"[ \t]+{NAME}{_PLACE})*)")
CREDIT = re.compile(rf"\(({NAME})[ \t]*/|(?:Photo|Picture|Image|Credit|[Ff]eatured image|[Pp]hotograph)s?:[ \t]+"
                    rf"(?:[^()\n]*\(({NAME})\)|({NAME})(?:,|[ \t]*/|\.?[ \t]*(?:\n|$)))")
PLURAL = re.compile(rf"\b(?:Senators|Commissioners|Representatives|Reps\.|Congressmen|Councillors|MPs|Ministers|"
                    rf"lawyers|members|Members|directors|senators|commissioners)[ \t]+({ONE}(?:,[ \t]+(?:and[ \t]+)?"
                    rf"{ONE})*(?:,?[ \t]+and[ \t]+{ONE})?)")
_SPLIT = re.compile(r"[ \t]*(?:,[ \t]*and|,|&|\band\b)[ \t]*")

NOT_NAMES = {
    "Memorial", "Museum", "Library", "University", "Hospital", "Airport", "Speaker", "Deputy", "Chairman", "Chair",
    "President", "Government", "Minister", "Ministers", "Secretary", "State", "Department", "Office", "Committee",
    "Council", "House", "Commons", "Lords", "Parliament", "The", "This", "That", "His", "Her", "Majesty",
    "Majesty's", "Majesty’s", "Noble", "Lord", "Bishop", "Chancellor", "Privy", "Member", "Members", "Hon", "Friend",
    "General", "Attorney", "Duchy", "Prime", "Home", "Foreign", "Defence", "Cabinet", "Treasury", "Mr", "Mrs", "Ms",
    "Dr", "Sir", "UK", "US", "British", "American", "Australian", "Federal", "National",
    "Security", "Commission", "Police", "Commissioner", "Act", "Bill", "Written",
    "Question", "Answer", "Statement", "In", "On", "At", "For", "By", "And", "But", "If", "We", "It", "They", "He",
    "She", "As", "Yesterday", "Today", "Reuters", "Inc", "Ltd", "Co", "Group", "Technology", "Technologies",
    "Digital", "Communications", "Daily", "News", "Times", "Guardian", "Telegraph", "Mail", "Online", "Opinion",
    "Analysis", "Labour", "Conservative", "Conservatives", "Tory", "Democrat", "Democrats", "Republican",
    "Republicans", "Senate", "Congress", "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
    "Saturday", "Sunday", "Party", "Green", "Liberal", "Labor", "Opposition", "Shadow", "Cyber", "Industry",
    "Affairs", "Internal", "Justice", "Public", "Services", "Service", "Agency", "Authority", "Institute", "Centre",
    "Center", "Bureau", "Board", "Directorate", "Ministry", "Administration", "Force", "Forces", "Army", "Navy",
    "Court", "Appeals", "Union", "Economic", "Democracy", "Watch", "Assembly", "Legislative", "Executive",
    "Company", "Corporation", "Corp", "Limited", "Systems", "Network", "Networks", "Association", "Foundation",
    "Trust", "Photo", "Picture", "Image", "Credit", "Contact", "Reporting", "Editing", "Under", "Acting", "Ranking",
    "Vice", "Senior", "Chief", "Head", "Former", "Current", "New", "Local", "Regional", "District", "County", "City",
    "Borough", "Town", "Street", "Road", "Square", "Hall", "Building", "Buildings", "Estate", "Site", "Sites", "Data",
    "Information", "Secretariat", "Inspector", "Constable", "Superintendent", "Judge", "Governor", "Mayor",
    "Premier", "Senator", "Representative", "Councillor", "Director", "Professor", "Spokesperson", "Spokesman",
    "Spokeswoman", "Officer", "Leader", "Treasurer", "Ambassador", "Cathaoirleach", "Seanad", "Dáil", "Oireachtas",
    "Taoiseach", "Commonwealth", "Whitehall", "Westminster", "Beijing", "Washington", "London", "Canberra", "Ottawa",
    "Covered", "List", "Entity", "Order", "Report", "Rule", "Rules", "Notice", "Section", "Sec", "Article",
    "Amendment", "Regulation", "Regulations", "Law", "Laws", "Program", "Programme", "Plan", "Strategy", "Review",
    "Update", "Budget", "Estimates", "Hansard", "Debate", "Debates", "Questions", "Without", "Notice", "Hon.",
    "Press", "Initiative", "Branch", "Efforts", "No", "Canadian", "Associated", "Agence", "Ceann", "Comhairle",
    "Counsel", "Manager", "Reporter", "Administrator", "Presenter", "Editor", "Managing", "Pro", "Tempore",
    "Correspondent", "Delegate", "Lawmaker", "Analyst", "Featured", "Written", "Applauds", "Welcomes", "Introduces",
    "Announces", "Statement", "Release", "Insider", "Securities", "Journal", "Bundestag", "Bank", "Capital",
    "Partners", "Senators", "Representatives", "Reps", "Congressmen", "Commissioners", "Councillors", "Herald", "Tribune", "Gazette", "Magazine", "Weekly", "Post", "Radio", "Television", "TV", "Drucksache",
}
HONORIFIC = re.compile(r"^(?:Sir|Dame|Dr\.?|Professor|Prof\.?|Mr\.?|Mrs\.?|Ms\.?|Miss|Senator|Sen\.|Rep\.|"
                       r"Representative|Congressman|Congresswoman|Councillor|Cllr\.?|The|Rt\.?|Hon\.?)\s+")
POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
POSSESSIVE_WORD = re.compile(r"['’]s$")  # "Big Brother Watch's Madeleine Stone": the owner is no part of the name


def _clean(text: str, start: int, name: str, keep_single: bool = False, not_names=frozenset(NOT_NAMES)):
    """(start, end, name) without leading title or role words and trailing non-names, or None."""
    words = name.split()
    offset = start
    while words and (words[0] in not_names or HONORIFIC.match(words[0] + " ") or POSSESSIVE_WORD.search(words[0])):
        offset += len(words[0])
        words = words[1:]
        while offset < len(text) and text[offset] in " \t":
            offset += 1
    cut = next((i for i, w in enumerate(words[:-1]) if POSSESSIVE_WORD.search(w)), None)
    if cut is not None:  # "Rick Example’s Bipartisan Act": the owner is the name
        words = words[:cut + 1]
    while words and words[-1] in not_names:
        words = words[:-1]
    if not words:
        return None
    words[-1] = POSSESSIVE.sub("", words[-1])
    if not words[-1] or any(w in not_names for w in words):
        return None
    if len(words) < 2 and not keep_single:
        return None
    if len(words) == 1 and (len(words[0]) < 3 or words[0].isupper()):
        return None
    value = " ".join(words)
    return offset, offset + len(value), value


# the name-first shapes, found from their keyword backwards (a scan for a keyword is far cheaper than trying a
# name at every capital letter): (keyword, the name ending right before the keyword, window)
SAID_KEY = re.compile(r"\b(?:said|says|told|announced|wrote|writes|added|stated|warned|argued|claimed|insisted|"
                      r"explained|confirmed|ordered|orders|urged|urges|noted|asked|replied|answered|welcomed|called|"
                      r"described|acknowledged|admitted|revealed|moved|introduced|tabled)\b")
SAID_NAME = re.compile(rf"\b({NAME})(?:,[ \t][^,.\n]{{3,80}},|[ \t]+of[ \t]+[^,.\n]{{2,40}}?|,)?[ \t]+$")
_APPOSITION_WORDS = (r"minister|secretary|MP|senator|commissioner|spokesperson|spokesman|spokeswoman|chair|chairman|"
                     r"chairwoman|director|official|peer|MEP|congressman|congresswoman|representative|leader|head|"
                     r"chief|founder|reporter|secretary general|president|ambassador|editor|analyst|adviser|advisor|"
                     r"CEO|counsel|lawyer|attorney|manager|correspondent|journalist|researcher|professor|economist|"
                     r"campaigner|activist")
# "<name>, the defence minister": found from the comma (a scan for commas is far cheaper than for the role words)
APPOSITION_KEY = re.compile(r",[ \t]+(?:(?:the|a|an|its|his|her)[ \t]+)?(?:[\w’'-]+[ \t]+){0,3}?"
                            rf"(?i:{_APPOSITION_WORDS})\b")
APPOSITION_NAME = re.compile(rf"\b({NAME})$")
SUFFIX_KEY = re.compile(r"[ \t](?:MP|MSP|MLA|TD|MEP|MS|QC|KC|MBE|OBE|CBE)\b")
GOVERNMENT_KEY = re.compile(r"[ \t](?:government|administration)\b")
NAME_END = re.compile(rf"\b({NAME})$")
PARTY_KEY = re.compile(r"[ \t]\((?:[RDI]|Rep|Dem)[-–][ \t]?[A-Z][\w.]*\)")  # "Jane Doe (R-Fla.)"
WHO_KEY = re.compile(r",[ \t]+who[ \t]+(?:chairs|heads|leads|is|was|has|had|sits|represents|serves)\b")
NAME_COMMA = re.compile(rf"\b({NAME})$")
BACKWARDS = ((SAID_KEY, SAID_NAME, 140), (APPOSITION_KEY, APPOSITION_NAME, 130), (SUFFIX_KEY, NAME_END, 60),
             (GOVERNMENT_KEY, NAME_END, 60), (WHO_KEY, NAME_COMMA, 60), (PARTY_KEY, NAME_END, 60))


def _backwards(text: str):
    for key, name, width in BACKWARDS:
        for k in key.finditer(text):
            m = name.search(text, max(0, k.start() - width), k.start())
            if m:
                yield m


# a pattern is tried only when a word it needs is in the text (a substring test costs next to nothing)
NEEDS = {"HON": ("Hon",), "MEMBER_FOR": ("Member for",), "TITLE_OF": (" of ", " for "),
         "CAPITALS": ("MR", "MS", "Mr", "Ms", "SENATOR", "Senator", "REP", "Rep"), "SIGNATURE": ("\n",),
         "PEER": ("Lord", "Baroness", "Lady", "Viscount", "Earl", "Baron"),
         "CREDIT": ("/", "Photo", "Picture", "Image", "image", "Credit"), "MEMBER_PLACE": ("(",),
         "PLURAL": ("Senators", "Commissioners", "Representatives", "Reps.", "Congressmen", "Councillors", "MPs",
                    "Ministers", "lawyers", "members", "Members", "directors", "senators", "commissioners")}


def _needed(name: str, text: str) -> bool:
    return any(word in text for word in NEEDS.get(name, ("",)))


def people(text: str, not_names: set[str] | frozenset[str] = frozenset(NOT_NAMES)):
    """(start, end, normalised name) for people named with a title, role, byline or credit; ``not_names``
    are the capitalised words never part of a name (NOT_NAMES and a topic's own ``not_names``)."""
    for m in PEER.finditer(text) if _needed("PEER", text) else ():
        name = m.group(2)
        if name.split()[0] in not_names:
            continue
        title = "Baroness" if m.group(1) == "Lady" else m.group(1)  # Hansard's "Lady Northover" is a baroness
        name = re.sub(r"['’]s\b", "s", POSSESSIVE.sub('', name)) if " of " in name else POSSESSIVE.sub('', name)
        yield m.start(1), m.end(2), f"{title} {name}"  # Hansard writes "of Kings Heath" without the apostrophe
    for m in CAPITALS.finditer(text) if _needed("CAPITALS", text) else ():
        word = m.group(1).title()
        if word not in not_names and m.group(1) not in ("MP", "MPS"):
            yield m.start(1), m.end(1), word
    for name, single in (("TITLED", False), ("SURNAME_TITLES", True), ("ROLE", False), ("HON", False),
                         ("MEMBER_PLACE", False), ("INVERTED", False), ("MEMBER_FOR", False), ("DATED_BYLINE", False),
                         ("TITLE_OF", False), ("SIGNATURE", False)):
        if not _needed(name, text):
            continue
        for m in globals()[name].finditer(text):
            found = _clean(text, m.start(1), m.group(1), keep_single=single, not_names=not_names)
            if found:
                yield found
    for m in _backwards(text):
        found = _clean(text, m.start(1), m.group(1), not_names=not_names)
        if found:
            yield found
    for pattern in (BYLINE, PLURAL, LINE_BYLINE):
        if pattern is PLURAL and not _needed("PLURAL", text):
            continue
        for m in pattern.finditer(text):
            start = m.start(1)
            for piece in _SPLIT.split(m.group(1)):
                at = text.find(piece, start)
                piece = re.sub(rf"{_PLACE}$", "", piece) if " in " in piece else piece
                found = _clean(text, at, piece, keep_single=pattern is PLURAL, not_names=not_names) \
                    if piece and at >= 0 else None
                if found:
                    yield found
                start = max(start, at + len(piece))
    for m in CREDIT.finditer(text) if _needed("CREDIT", text) else ():
        group = next(g for g in (1, 2, 3) if m.group(g))
        found = _clean(text, m.start(group), m.group(group), not_names=not_names)
        if found:
            yield found


def merge(names: list[str]) -> list[str]:
    """Names once each: a surname alone or a shorter form gives way to the full name the text also gives
    ("Marles" -> "Richard Marles"; "Lord Alton" -> "Lord Alton of Liverpool")."""
    names = list(dict.fromkeys(n for n in names if n))
    out = []
    for n in names:
        low = n.lower()  # "De Lima" at a sentence's start is the "Leila de Lima" of the text
        longer = [o for o in names if o != n and (o.startswith(n + " ") or o.lower().endswith(" " + low))]
        if not longer:
            out.append(n)
    return out
