"""Vendor rebuttals (guide 5.1 `denial`): a vendor speaking against an allegation or a decision.

Trigger words find only some denials ("rejects the allegations", "baseless"); vendors also
rebut in plain reporting: "the vendor said it was false to present its cameras as a threat",
"the company said it was disappointed by the decision", "Acme stresses that the FCC has
not banned Acme", "Acme filed a petition for review". A sentence is a rebuttal when

- a vendor (or "the company", "the firm", "a spokesperson" of the document's vendor) is the
  subject of a reporting or stance verb or of a legal step (``SPEAKS``), and
- the sentence has a word of rebuttal (``REBUTS``): a negation, an objection, a legal
  challenge, or the language of compliance and security the vendors answer with;
- and it is not a non-answer ("did not respond", "declined to comment").

Generic English; which names are vendors comes from the entities the pipeline found.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

SPEAKS = re.compile(
    r"^(said|says|say|told|tells|stated|states|argued|argues|insisted|insists|maintained|maintains|stressed|"
    r"stresses|explained|explains|responded|responds|replied|replies|added|adds|claimed|claims|noted|notes|wrote|"
    r"writes|criticised|criticized|criticises|criticizes|protested|protesting|protests|opposes|opposed|rejected|"
    r"rejects|denied|denies|disputes|disputed|dismissed|dismisses|challenged|challenges|sued|sues|filed|files|"
    r"appealed|appeals|petitioned|urged|urges|asked|called|issued|objected|objects|countered|counters|"
    r"described|describes|hit|pushed|slammed|defended|defends|warned|thanked|emphasised|emphasized|"
    r"reaffirmed|reiterated|acknowledged|accused|labelled|labeled|seeks|sought|sent|lodged)$", re.I)
REBUTS = re.compile(
    r"\b(not|no|never|n't|nothing|false|wrong|untrue|unfounded|groundless|baseless|misguided|unfair|unjust|"
    r"biased|discriminat\w*|politic\w*|protectionis\w*|punitive|unnecessar\w*|disappoint\w*|surpris\w*|"
    r"oppos\w*|object\w*|criticis\w*|criticiz\w*|reject\w*|den(?:y|ies|ied)|disput\w*|challeng\w*|appeal\w*|"
    r"petition\w*|lawsuit|su(?:e|ed|es|ing)\b|legal action|judicial review|stay|compl(?:y|ies|ied|iance|iant)|"
    r"follows? the laws?|laws and regulations|committed to|seriously|misunderstand\w*|mischaracteri\w*|"
    r"escalat\w*|geopolitic\w*|evidence|threat|demonis\w*|demoniz\w*|fringe|reconsider\w*|fair|transparent|"
    r"allegations?|accusations?|claims|concerns?|overturn|vacate|exceed\w*|authority|arbitrary|capricious)\b",
    re.I)
NON_ANSWER = re.compile(r"\b(did not|didn't|has not|hasn't|had not|could not|couldn't|was not available to)\s+"
                        r"(respond|reply|comment|return|be reached)|\bdeclined to comment|\bno comment\b|"
                        r"\bnot immediately respond", re.I)
COMPANY = re.compile(r"^(the|its)\s+(company|firm|manufacturer|maker|group|vendor)$|spokes(?:man|woman|person)$",
                     re.I)
QUESTION = re.compile(r"^\s*(to ask\b|asked\b)", re.I)


def rebuttal(doc: Doc, sent: Span, text: str, vendors: list[Span], main_vendor: str | None,
             others: list[Span] = ()) -> str | None:
    """The vendor rebutting in this sentence, or None. `others` are the sentence's other entities (people,
    bodies): a vendor is the subject only when nothing else stands between it and its verb."""
    words = text[sent.start_char:sent.end_char]
    if QUESTION.match(words) or words.rstrip().endswith("?") or NON_ANSWER.search(words) \
            or not REBUTS.search(words):
        return None
    for i in range(sent.start, sent.end):
        if not SPEAKS.match(doc[i].text) or doc[i - 1].lower_ in PASSIVE_AUX:
            continue
        subject = _subject(doc, sent, i, vendors, main_vendor, others)
        if subject:
            return subject
    return None


PASSIVE_AUX = {"be", "been", "being", "was", "were", "is", "are", "to"}
LINKS = {"has", "have", "had", "also", "then", "later", "itself", "usa", "inc", "inc.", "ltd", "co", "co.",
         "canada", "uk", "europe", "technology", "technologies", "in", "a", "an", "the", "statement", "its",
         "recently", "previously", "publicly", "repeatedly", "consistently", "strongly", "firmly"}
ROLES = re.compile(r"spokes|director|manager|president|chief|head|officer|executive|counsel|lawyer|team|"
                   r"representative|statement|chairman|ceo|founder|policy|communications", re.I)


def _subject(doc: Doc, sent: Span, verb: int, vendors: list[Span], main_vendor: str | None,
             others: list[Span]) -> str | None:
    """The vendor that is the subject of the verb at `verb`: a vendor right before it ("Acme said",
    "Acme USA, Inc. filed", "Acme's general manager X told", "Acme, which ..., said"), or "the
    company", "a spokesperson" meaning the document's vendor; never the object of a preposition."""
    vendor = next((v for v in sorted(vendors, key=lambda v: -v.end) if v.end <= verb and verb - v.end <= 14), None)
    if vendor is not None:
        before = doc[vendor.start - 1].lower_ if vendor.start > sent.start else ""
        between = doc[vendor.end:verb]
        owner = len(between) and between[0].lower_ in ("'s", "’s")
        if before in ("to", "on", "against", "from", "with", "about", "by", "at", "for", "of", "using", "use",
                      "buy", "ordering") and not owner:
            return None
        if owner and any(ROLES.match(t.text) for t in between) or owner and len(between) <= 6:
            return vendor.kb_id_
        if not any(o.start < verb and o.end > vendor.end for o in others):
            words = [t.lower_ for t in between if t.text not in (",", ".")]
            if len(words) <= 3 and all(w in LINKS for w in words):
                return vendor.kb_id_
            if between.text.startswith(",") and between.text.rstrip().endswith(","):  # an apposition
                return vendor.kb_id_
    if main_vendor:
        for i in range(verb - 1, max(sent.start, verb - 4) - 1, -1):
            if COMPANY.match(doc[max(sent.start, i - 1):i + 1].text) or COMPANY.match(doc[i].text):
                nxt = doc[i + 1].lower_ if i + 1 < sent.end else ""
                if nxt in ("for", "of") or any(o.end == i or o.end == i - 1 for o in others):
                    return None  # "a spokesperson for the Taoiseach", "the association's spokesman"
                return main_vendor
    return None
