"""Mentions: every extracted action, placed (actor, jurisdiction, date basis, targets).

An action's date is read in one of four ways (its *basis*):
- ``record``: the date is the document's own and the document is the record of
  the act (a statement, an order, a notice, or an answer in which the answering
  body acts itself): the act's date, exactly.
- ``stated``: the text states a date other than the document's: exactly that
  day (or month, or year); a later text that says so is a restatement.
- ``reported``: the date is the document's own but the document reports
  someone else's act (news, an answer citing the Government): the act happened
  on that day or a little before (news of the day), or, for a restatement,
  any time before.
- ``undated``: no date at all.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from . import dates
from .hierarchy import Hierarchy

# How a document stands to the acts it mentions, by kind. Anything else is a report.
ACT_KINDS = {"written_statement", "federal_register", "govuk", "gov_other", "press_release", "statement",
             "order", "regulation", "notice", "law", "official", "company"}
ANSWER_KINDS = {"written_question", "hansard", "answer", "debate"}
OFFICIAL_SOURCE_KINDS = {"government", "regulator", "parliament", "legislature", "official"}
# Days between an act and its publication in a record of this kind (a Federal Register rule is
# published weeks after the order is adopted), and between an act and a news report of the day.
PUBLICATION_LAG = {"federal_register": 120}
NEWS_LAG = 7
TOLERANCE = 1  # a day either side of a day's date: time zones and "yesterday"

# A sentence that points back at an earlier act (the language of answers and statements).
CUE = re.compile(
    r"\b(?:refer(?:red)? (?:the |my )?(?:hon\.?|honourable|noble|right hon\.?)|"
    r"as (?:set out|announced|stated|outlined|confirmed|explained|made clear) (?:in|on|by|at)|"
    r"further to|(?:written )?ministerial statement|"
    r"\bWMS\b|previously (?:announced|set out|confirmed)|(?:announced|published|laid|made|issued|adopted) on|"
    r"on \d{1,2} (?:January|February|March|April|May|June|July|August|September|October|November|December)|"
    r"in (?:January|February|March|April|May|June|July|August|September|October|November|December) \d{4})",
    re.I)
# An actor named only as part of a government ("Government departments", "British officials", "the
# authorities") is that government (ANNOTATION.md 5.2: "departments were instructed" -> the Government).
GENERIC_GOVERNMENT = re.compile(
    r"^(?:the\s+)?(?:[a-z]+\s+)?(?:senior\s+)?(?:government\s+|federal\s+|central\s+|national\s+)?"
    r"(?:government|govt|administration|departments?|ministr(?:y|ies)|ministers?|officials?|authorities|"
    r"agenc(?:y|ies))$", re.I)
# Groups named by what their members are: one label however the texts word it.
GROUP_HEADS = {"mps": "legislators", "lawmakers": "legislators", "legislators": "legislators",
               "parliamentarians": "legislators", "congressmen": "legislators", "senators": "senators",
               "councillors": "councillors", "campaigners": "campaigners"}
# Titles before a name, and "the office of", are no part of who acted.
TITLES = re.compile(r"^(?:(?:the\s+)?office\s+of\s+)?(?:the\s+)?(?:(?:us|u\.s\.|uk|state)\s+)?"
                    r"(?:senator|sen\.|representative|rep\.|congressman|congresswoman|councillor|cllr\.?|"
                    r"minister|mr\.?|mrs\.?|ms\.?|dr\.?|professor|prof\.?|sir|dame|lord|baroness)\s+", re.I)
ORG_WORDS = {"council", "police", "department", "government", "committee", "commission", "office", "agency",
             "ministry", "party", "association", "union", "group", "company", "inc", "ltd", "plc", "county",
             "city", "state", "states", "board", "authority", "service", "services", "force", "forces",
             "bank",
             "university", "school", "court", "parliament", "assembly", "legislature", "house", "senate"}
# An undated sentence that says its act came before ("earlier steps", "had already") is not the
# document's own act of that type, nor news of the day.
# A passive perfect ("have been instructed", "has been advised"): what was done before the sentence's document.
PERFECT = re.compile(r"\b(?:have|has) been (?:\w+ly )?[a-z]+(?:ed|en|wn|ld|nt|ught)\b", re.I)
# An answer that says what the body has done or did ("departments have ceased the deployment", "We have also
# taken action", "We also committed to ..."): a report of an act before the answer, dated by the answer only as
# its latest possible day; the answer's own acts of the day are in the present or future ("We encourage",
# "will publish") or say "today".
DONE = re.compile(
    r"\b(?:(?:have|has)\s+(?:also\s+|already\s+|now\s+)?(?!been\b)[a-z]+(?:ed|en|wn|ld|nt|ught)|"
    r"(?:we|the government)\s+(?:also\s+|then\s+|subsequently\s+|previously\s+|recently\s+)?"
    r"(?:committed|announced|decided|instructed|introduced|laid|set out|issued|launched|commissioned|"
    r"undertook|agreed))\b", re.I)
TODAY = re.compile(r"\b(?:today|this day|this morning|this afternoon|I am|we are)\b", re.I)
# A report that says its act happened today is news of the day, never a restatement of an earlier act.
OF_THE_DAY = re.compile(r"\b(?:today|tonight|this (?:morning|afternoon|evening))\b", re.I)
EARLIER = re.compile(r"\b(?:earlier|previous(?:ly)?|prior|already|in the past|before that)\b", re.I)
# A report that says its act came well before the news ("It comes months after lawmakers called ...", "MPs have
# previously urged ...", "the regulator listed earlier steps"): not news of the day, though dated by the document.
LONG_BEFORE = re.compile(r"\b(?:(?:weeks|months|years)\s+(?:after|ago|earlier|before)|(?:have|has|had)\s+previously|"
                         r"earlier\s+(?:steps|measures|moves|actions|decisions|bans|rules)|in\s+the\s+past|"
                         r"last\s+(?:year|month|summer|autumn|spring|winter))\b", re.I)
# What a lasting act (an audit: a type marked `lasting` in the vocabulary) found ("Defence finds 435 cameras",
# "the audit had found ..."): reported when it ends, so the act itself began on an unknown day before the
# report (not what "was found" before an audit was ordered).
FINDING = re.compile(r"(?<!was )(?<!were )(?<!been )(?<!are )(?<!is )(?<!be )"
                     r"\b(?:finds|found|uncover(?:s|ed)|discover(?:s|ed))\b", re.I)
# The stages of a bill, each its own act (eval README: "Stages of a bill"): the words that name one.
STAGES = (
    ("enacted", r"\b(?:signed (?:it |the \w+ )?into law|became law|enacted|royal assent|passed by congress|"
                r"(?:both (?:chambers|houses)(?: of congress)?|congress) (?:have |has )?(?:passed|approved))\b"),
    ("chamber", r"\b(?:(?:house of representatives|house|senate|commons|lords|assembly|legislature) "
                r"(?:has |have )?(?:passed|voted|approved|adopted)|passed (?:the|by the|in the) "
                r"(?:house|senate|commons|lords|assembly))\b"),
    ("committee", r"\b(?:committee (?:has |have )?(?:passed|approved|advanced|adopted|backed)|"
                  r"(?:passed|approved|advanced) (?:by|in) (?:the )?(?:\w+ )?committee|marked up)\b"),
    ("introduced", r"\b(?:(?:introduc(?:ed|es)|tabled|filed|unveil(?:ed|s)|sponsored) (?:a |the |an |his |her |"
                   r"their |new |bipartisan )*(?:bill|legislation|amendment)|(?:bill|legislation|amendment) "
                   r"(?:was |were |has been )?(?:introduced|tabled|filed))\b"),
)
_STAGES = tuple((name, re.compile(pattern, re.I)) for name, pattern in STAGES)


def stage(evidence: str) -> str | None:
    """The one stage of a bill a sentence names, or None (none, or several: "introduced ... then passed")."""
    found = [name for name, pattern in _STAGES if pattern.search(evidence)]
    return found[0] if len(found) == 1 else None


# A law or a part of one named in a sentence ("the Secure Equipment Act of 2021", "Section 1709(a)(1)", "the
# NDAA"): a restatement naming one is about that law, not whichever act is reported most.
INSTRUMENT = re.compile(r"\b(?:(?:[A-Z][\w'’-]*\s+){1,6}Act\b|[Ss]ection\s+\d+|[Ss]ec\.\s*\d+|NDAA|"
                        r"National Defense Authorization Act)")
_WORD = re.compile(r"[a-z][a-z'’-]+|\d{3,}")
STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had has
have having he her here hers him his how i if in into is it its itself just me more most my no nor
not now of off on once only or other our ours out over own same she should so some such than that
the their theirs them then there these they this those through to too under until up very was we
were what when where which while who whom why will with would you your yours which whether shall may
must might per via upon within without therefore however has've it's hon member lord lady gentleman
noble friend
""".split())


def action_id(document_id: str, type_: str, start, end, actor: str | None = None) -> str:
    """The id of an action (a mention): the database's `actions.id`. The actor is part of it only for a
    further actor of the same type in the same sentence ("Tesco and Morrisons have banned ..."): see action_ids."""
    parts = (document_id, type_, start, end) + ((actor,) if actor is not None else ())
    key = "\x1f".join(str(p) for p in parts)
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def action_ids(document_id: str, actions: list[dict]) -> list[str]:
    """The ids of a document's actions in output order: the first action of a type in a sentence by
    (document, type, start, end), each further one (another actor) with its actor too."""
    seen: set[str] = set()
    out = []
    for action in actions:
        plain = action_id(document_id, action.get("type"), action.get("start"), action.get("end"))
        out.append(plain if plain not in seen else action_id(document_id, action.get("type"), action.get("start"),
                                                               action.get("end"), action.get("actor") or ""))
        seen.add(plain)
    return out


def words(text: str) -> frozenset[str]:
    """Content words of a sentence, lower-cased and crudely stemmed."""
    out = set()
    for word in _WORD.findall((text or "").lower().replace("’", "'")):
        word = word.strip("'-")
        if word.endswith("'s"):  # China's -> china
            word = word[:-2]
        if len(word) < 3 or word in STOPWORDS:
            continue
        for suffix in ("ing", "ed", "es", "s"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                word = word[: -len(suffix)]
                break
        out.add(word)
    return frozenset(out)


@dataclass
class Mention:
    id: str
    document_id: str
    type: str
    evidence: str
    start: int
    end: int
    actor_named: str | None
    actor: str | None          # organisation id, "person:<name>" or "vendor:<name>"; None when unknown
    actor_kind: str            # organisation | person | vendor | group | none
    person: str | None         # the person named as actor, when it was one
    jurisdiction: str | None
    jurisdiction_from: str     # actor | document | none
    date: str | None           # as extracted
    basis: str                 # record | stated | reported | undated
    lo: int | None             # the act's date lies in [lo, hi] (day numbers) when near this text
    hi: int | None
    far_lo: int | None         # ... or as far back as far_lo for a restatement
    before: int | None         # ... and never after the document that reports it
    targets: frozenset[str]    # vendors named in the sentence, "*" for a class
    context: frozenset[str]    # vendors the document is about
    doc_date: str | None
    kind: str                  # act | answer | report (how the document stands to the act)
    source: str                # the publisher, for counting independent sources
    words: frozenset[str] = field(repr=False)
    cue: bool = False
    earlier: bool = False      # the sentence says the act came before ("earlier", "already")
    hint: frozenset[str] = frozenset()  # without an actor: the bodies acting in the rest of its document
    stage: str | None = None   # of a bill (a `staged` type): introduced, committee, chamber, enacted
    instrument: bool = False   # the sentence names a law or a section of one ("the Secure Equipment Act")

    @property
    def placed(self) -> bool:
        return self.actor_kind != "none" and self.basis != "undated"


def document_class(doc: dict) -> str:
    kind, source_kind = (doc.get("kind") or "").lower(), (doc.get("source_kind") or "").lower()
    if kind in ANSWER_KINDS:
        return "answer"
    if kind == "news" or (source_kind and source_kind not in OFFICIAL_SOURCE_KINDS):
        return "report"
    if kind in ACT_KINDS or source_kind in OFFICIAL_SOURCE_KINDS:
        return "act"
    return "report"


_WIRE = re.compile(r"\(([^()]+)\)\s*$")


def source_key(doc: dict, issuer: str | None, hierarchy: Hierarchy) -> str:
    """Who published it: a news outlet (its wire service when it names one), else the issuing body."""
    outlet = (doc.get("outlet") or "").strip()
    if outlet:
        wire = _WIRE.search(outlet)
        outlet = wire.group(1) if wire else outlet
        return re.sub(r"^news \| ", "", outlet, flags=re.I).strip().lower()
    if issuer:
        return hierarchy.name(issuer).lower()
    return (doc.get("department") or doc.get("publisher") or doc.get("source") or doc.get("id") or "").lower()


def _actor(named: str | None, date: str | None, people: set[str], hierarchy: Hierarchy,
           jurisdiction: str | None, issuer: str | None):
    """(actor, kind, person) for an actor as the extractor named it.

    Organisations in the vocabulary and ministers with a known post are placed in the hierarchy; a
    part of government named generically is the document's government (or the answering department
    for "the Department"), or unknown without a jurisdiction; any other name (a council, a company,
    "MPs", a person) is an actor of its own, the same only as itself."""
    if not named or not named.strip():
        return None, "none", None
    org = hierarchy.organisation(named)
    if org:
        return org, "organisation", None
    vendor = hierarchy.vendor(named)
    if vendor:
        return f"vendor:{vendor[0]}", "vendor", None
    post = hierarchy.person(named, date)
    if post:
        return post, "organisation", named
    label = " ".join(named.lower().replace("’", "'").split())
    if GENERIC_GOVERNMENT.match(label):
        if issuer and label.split()[-1] in ("department", "ministry"):
            return issuer, "organisation", None
        government = hierarchy.government(jurisdiction)
        return (government, "organisation", None) if government else (None, "group", None)
    label = TITLES.sub("", label)
    label = label[4:] if label.startswith("the ") else label
    tokens = label.split()
    if named in people or TITLES.sub("", named) in people or (
            1 < len(tokens) <= 3 and not ORG_WORDS & set(tokens) and named[:1].isupper()
            and all(t[:1].isupper() for t in TITLES.sub("", named).split())):
        return f"person:{label}", "person", named
    return f"named:{GROUP_HEADS.get(tokens[-1], label) if tokens else label}", "named", None


# A headline's or sentence's opening subject: capitalised words before a verb ("Defence finds 435 cameras").
_SUBJECT = re.compile(r"^\W*((?:[A-Z][\w&'’-]*\s+){1,4}?)(?:has\s+|have\s+|had\s+|is\s+|was\s+|will\s+)?[a-z]")


def _subject(evidence: str, hierarchy: Hierarchy, jurisdiction: str | None) -> str | None:
    """The body a sentence without an extracted actor opens with, when it goes by that short name."""
    found = _SUBJECT.match(evidence)
    if not found:
        return None
    oid = hierarchy.short(found.group(1).strip(), jurisdiction)
    return hierarchy.name(oid) if oid else None


def build(documents: dict[str, dict], records: Iterable[dict], hierarchy: Hierarchy,
          lasting: set[str] | frozenset = frozenset(), staged: set[str] | frozenset = frozenset()) -> list[Mention]:
    """One Mention per extracted action whose document is known (others are skipped)."""
    out = []
    for record in records:
        doc = documents.get(str(record.get("id")))
        if doc is None:
            continue
        out.extend(_document_mentions(doc, record, hierarchy, lasting, staged))
    return out


def _document_mentions(doc: dict, record: dict, hierarchy: Hierarchy,
                       lasting: set[str] | frozenset = frozenset(),
                       staged: set[str] | frozenset = frozenset()) -> list[Mention]:
    doc_id, doc_day = str(doc["id"]), dates.day(doc.get("published"))
    cls = document_class(doc)
    issuer = hierarchy.organisation(doc.get("department"))
    people = {p.get("name") if isinstance(p, dict) else p for p in (doc.get("people") or [])}
    people |= set(record.get("people") or [])
    found = (hierarchy.vendor(name) for name in record.get("vendors") or [])
    context = frozenset(v[0] for v in found if v and v[1] == "CN")
    source = source_key(doc, issuer, hierarchy)
    published = dates.interval(doc_day)
    before = published[1] + TOLERANCE if published else None
    out = []
    listed = [a for a in record.get("actions") or [] if isinstance(a, dict) and a.get("type")]
    ids = dict(zip(map(id, listed), action_ids(doc_id, listed)))
    for action in record.get("actions") or []:
        if not isinstance(action, dict) or not action.get("type"):
            continue
        named = action.get("actor") or _subject(action.get("evidence") or "", hierarchy, doc.get("jurisdiction"))
        actor, actor_kind, person = _actor(named, action.get("date") or doc_day, people, hierarchy,
                                           doc.get("jurisdiction"), issuer)
        basis, lo, hi, far_lo = _placed_in_time(action.get("date"), doc_day, doc.get("kind") or "", cls,
                                                actor, actor_kind, issuer, hierarchy)
        # a vendor answers in the market the story is about; other actors belong where they govern
        jurisdiction = None if actor_kind == "vendor" else hierarchy.jurisdiction(actor)
        jurisdiction_from = "actor" if jurisdiction else "none"
        if not jurisdiction and doc.get("jurisdiction"):
            jurisdiction, jurisdiction_from = doc["jurisdiction"], "document"
        if not jurisdiction and actor_kind == "vendor":
            jurisdiction, jurisdiction_from = (hierarchy.vendor(actor[7:]) or (None, None))[1], "actor"
        targets = frozenset("*" if v == "*" else (hierarchy.vendor(v) or (v,))[0]
                            for v in (action.get("vendors") or ["*"]))
        evidence = action.get("evidence") or ""
        earlier = bool(EARLIER.search(evidence))
        if basis == "record" and cls == "answer" and PERFECT.search(evidence):
            # "Departments have been advised ...": an answer telling what was done before, not its own act of
            # the day; the act is earlier than the answer, its date unknown
            basis, lo, hi, far_lo, earlier = "undated", None, None, dates.EARLIEST, True
        elif basis == "reported" and OF_THE_DAY.search(evidence):
            far_lo = lo
        elif basis == "reported" and action["type"] in lasting and FINDING.search(evidence):
            basis, lo, hi, far_lo = "undated", None, None, dates.EARLIEST
        elif basis == "reported" and LONG_BEFORE.search(evidence):
            basis, lo, hi, far_lo, earlier = "undated", None, None, dates.EARLIEST, True
        elif basis == "record" and cls == "answer" and DONE.search(evidence) and not TODAY.search(evidence):
            # "departments have ceased the deployment ...": a report of the body's earlier act (a restatement when
            # its words match one), else dated by the answer as news of the day is
            basis, lo, far_lo = "reported", lo + TOLERANCE - NEWS_LAG, dates.EARLIEST
        bound = before - TOLERANCE - NEWS_LAG - 1 if earlier and basis == "undated" and before else before
        out.append(Mention(
            id=action.get("id") or ids[id(action)], document_id=doc_id,
            type=action["type"], evidence=evidence, start=action.get("start") or 0,
            end=action.get("end") or 0,
            actor_named=named, actor=actor, actor_kind=actor_kind, person=person, jurisdiction=jurisdiction,
            jurisdiction_from=jurisdiction_from, date=action.get("date"), basis=basis,
            lo=lo, hi=hi, far_lo=far_lo, before=bound,
            targets=targets, context=context - targets, doc_date=doc_day, kind=cls, source=source,
            words=words(evidence), cue=bool(CUE.search(evidence)), earlier=earlier,
            stage=stage(evidence) if action["type"] in staged else None,
            instrument=bool(INSTRUMENT.search(evidence))))
    # a sentence that names no actor (a quote, a passive: "cameras have been taken out of the department's sites")
    # speaks of the story's actors: the bodies its document's other sentences name, a hint among acts that fit it
    # equally
    bodies = frozenset(m.actor for m in out if m.actor_kind == "organisation")
    for m in out:
        if m.actor is None and bodies:
            m.hint = bodies
    return out


def _placed_in_time(value, doc_day, kind, cls, actor, actor_kind, issuer, hierarchy):
    """(basis, lo, hi, far_lo) for an action's date in its document."""
    span = dates.interval(value)
    if span is None:
        return "undated", None, None, dates.EARLIEST
    lo, hi, precision = span
    slack = TOLERANCE if precision == "day" else 0  # "in 2017" and "since 2018" do not touch
    if doc_day is None or value[:10] != doc_day:
        return "stated", lo - slack, hi + slack, lo - slack
    if kind == "company":  # a company's own statement records its own acts only (a denial)
        own = actor_kind == "vendor"
    elif cls == "act":  # the statement, order or notice is the act, unless it names another body's act
        own = actor is None or issuer is None or (":" not in actor and hierarchy.comparable(actor, issuer))
    else:  # an answer records the answering body's own acts (its ministers', agencies'), not the Government's
        own = cls == "answer" and actor is not None and issuer is not None
        own = own and issuer in hierarchy.chain(actor)
    if own:
        return "record", lo - PUBLICATION_LAG.get(kind, 0) - TOLERANCE, hi + TOLERANCE, lo - TOLERANCE
    return "reported", lo - NEWS_LAG, hi + TOLERANCE, dates.EARLIEST


def idf(mentions: list[Mention]) -> dict[str, float]:
    """Inverse document frequency of each content word over the mentions' sentences."""
    counts = Counter(w for m in mentions for w in m.words)
    n = len(mentions)
    return {w: math.log(1 + n / c) for w, c in counts.items()}
