"""Whether a trigger reports an act or only names one: generic English grammar, no topic words.

A document about a ban mentions "the ban" many times; only some sentences report an
act. ``mention_only`` is true when the trigger

- is a noun no act of making governs: "the ban", "the FCC's restrictions", "its review"
  (but "imposed a ban", "launched a review", "the ban was announced" report one);
- is a participle describing something: "cameras, some of them banned by the US",
  "the vendor, blacklisted by the US since 2019";
- sits in a clause describing a rule: "rules that bar the sale", "a bill which would ban";
- is a perfect passive restating an undated act: "has been banned by the US".

Each test looks at a few tokens around the trigger in its sentence (token spans of a
spaCy Doc); nothing here reads the topic's vocabulary: the caller passes the topic's
nouns that modify an act's noun ("a camera ban": vocab ``context.modifiers``).
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

NOUNS = {
    "ban", "bans", "prohibition", "prohibitions", "restriction", "restrictions", "exclusion", "exclusions",
    "debarment", "embargo", "ban-list", "blacklist", "blacklisting", "review", "reviews", "audit", "audits",
    "assessment", "assessments", "investigation", "investigations", "inquiry", "inquiries", "probe", "probes",
    "scrutiny", "evaluation", "guidance", "guideline", "guidelines", "advice", "advisory", "recommendation",
    "recommendations", "legislation", "bill", "bills", "act", "acts", "law", "laws", "amendment", "amendments",
    "regulation", "regulations", "rule", "rules", "sanction", "sanctions", "removal", "replacement", "phase-out",
    "designation", "designations", "listing", "order", "orders", "directive", "moratorium", "freeze", "suspension",
    "rulemaking",
}
# nouns that are also verbs: a noun only after a determiner, a possessive or an adjective-like word
AMBIGUOUS = {"ban", "bans", "review", "reviews", "audit", "audits", "probe", "probes", "blacklist", "sanction",
             "sanctions", "order", "orders", "freeze", "rule", "rules", "bill", "act", "advice", "amendment"}
DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "our", "any",
               "such", "no", "new", "wider", "full", "outright", "blanket", "total", "nationwide", "federal",
               "national", "government", "security", "existing", "earlier", "previous", "initial", "first",
               "latest", "recent", "proposed", "possible", "similar", "same", "further", "another", "each",
               "comprehensive", "sweeping", "formal", "independent", "internal", "broader", "wide", "wide-ranging",
               "partial", "de", "facto", "current", "planned", "ongoing", "us", "u.s.", "uk", "eu", "import",
               "procurement", "purchase", "trade", "export", "investment"}
VERB_BEFORE = {"to", "will", "would", "should", "must", "may", "might", "could", "can", "cannot", "did", "does",
               "do", "not", "n't", "also", "it", "they", "we", "he", "she", "i", "who", "which"}
# verbs that make an act of a noun: "imposed a ban", "launched a review", "issued guidance"
MAKING = re.compile(
    r"^(impos|introduc|announc|issu|adopt|enact|implement|order|approv|pass|sign|extend|expand|widen|tighten|"
    r"broaden|establish|launch|began|begin|begun|start|conduct|carr|undert|commission|open|initiat|publish|"
    r"releas|unveil|vot|agree|decid|table|tabl|fil|sponsor|put|plac|set|appl|enforc|complet|finish|ordered|"
    r"brought|bring|slap|hit|lodg|submit|draft|writ|wrote|introduced|unveiled|mov|call|urg|demand|"
    r"press|push|want|back|support|propos|recommend|made|make|perform|held|hold|undertook|instigat|trigger|"
    r"set|add|announce|declar|confirm|reveal|approve|finaliz|finalis|adopt|order|led|lead|do|doing|did|done|"
    r"offer|campaign|lobb|petition|send|sent|give|gave|provid)", re.I)
PASSIVE_MAKING = re.compile(
    r"^\s*,?\s*(?:was|were|has been|have been|had been|is being|will be|is|are|)\s*(?:\w+ly\s+|also\s+)?(?:announced|imposed|"
    r"introduced|adopted|implemented|extended|launched|ordered|passed|signed|enacted|approved|put in place|put "
    r"into effect|set up|established|unveiled|issued|published|carried out|conducted|completed|begun|started|sent|"
    r"ordered|commissioned|launched|offered)\b"
    r"|^\s*(?:took|takes|take|came|comes|went|goes) (?:effect|into force|into effect)\b", re.I)
LEGAL_NOUNS = {"rules", "rule", "law", "laws", "bill", "bills", "act", "order", "orders", "regulation",
               "regulations", "provision", "provisions", "amendment", "amendments", "measure", "measures",
               "legislation", "policy", "policies", "list", "statute", "directive", "decree", "standard",
               "standards", "requirements", "requirement", "proposal", "proposals", "plan", "plans", "program",
               "programme", "section", "ndaa", "agreement"}
AUX = {"be", "been", "being", "is", "are", "was", "were", "has", "have", "had", "will", "would", "could",
       "should", "may", "might", "must", "can", "also", "now", "effectively", "already", "further", "not"}
PARTICIPLE = re.compile(r"^(\w+ed|barred|banned|put|cut|shut|set|bought|sold|taken|held)$")
AFTER_PARTICIPLE = {"by", "in", "from", "since", "over", "for", "under", "as", "because", "after", "on", "across"}
HAVE_BEEN = re.compile(r"\b(?:has|have|had)\s+(?:\w+ly\s+|also\s+|already\s+)?been\s*$", re.I)
CLAUSE_STOP = {",", ";", ":", "(", ")", "—", "–", "and", "but", "while", "whereas", "although", "though", "because"}


def _word(doc: Doc, i: int) -> str:
    return doc[i].lower_ if 0 <= i < len(doc) else ""


def is_noun(doc: Doc, sent: Span, trigger: Span, modifiers: frozenset = frozenset()) -> bool:
    """The trigger is used as a noun ("the ban", "a review", "restrictions", a topic's "camera ban")."""
    word = trigger[-1].lower_
    if word not in NOUNS:
        return False
    if word not in AMBIGUOUS or (trigger[-1].text[0].isupper() and trigger.start > sent.start):
        return True  # "the Secure Equipment Act", "the Procurement Bill": a capitalised name is a noun
    before = _word(doc, trigger.start - 1) if trigger.start > sent.start else ""
    after = _word(doc, trigger.end) if trigger.end < sent.end else ""
    if before in VERB_BEFORE:
        return False
    if before in DETERMINERS or before in modifiers or before.endswith(("'s", "’s")) or before in ("'s", "’s"):
        return True
    return after in ("on", "of", "against", "was", "is", "has", "had", "came", "took", "applies", "covers",
                     "will", "would", ".", ",", ";", "process", "findings", "found", "concluded")


def made(doc: Doc, sent: Span, trigger: Span, text: str, dates=()) -> bool:
    """A noun trigger governed by an act of making: before it in its clause ("imposed a ban"), as a passive
    or a reduced relative after it ("the ban, announced in 2022", "an audit he had launched", "a bill the House
    passed"), or dated right after it ("restrictions since 2020")."""
    for i in range(trigger.start - 1, max(sent.start, trigger.start - 7) - 1, -1):
        word = doc[i].lower_
        if word in CLAUSE_STOP and i < trigger.start - 1:
            break
        if MAKING.match(word):
            return True
    if PASSIVE_MAKING.match(text[trigger.end_char:trigger.end_char + 80]):
        return True
    for i in range(trigger.end, min(sent.end, trigger.end + 8)):  # "his audit ... had found": it happened
        if FINDING.match(doc[i].text):
            return True
    for i in range(trigger.end, min(sent.end, trigger.end + 5)):  # "an audit he had launched", "a bill X passed"
        word = doc[i].lower_
        if word in CLAUSE_STOP:
            break
        if i > trigger.end and re.match(r"\w+ed$|began|begun|brought|held|led|made|sent|set|undertook", word) \
                and MAKING.match(word) and doc[i - 1].lower_ not in ("was", "were", "be", "been", "is", "are"):
            return True
    end = doc[min(sent.end, trigger.end + 6) - 1].idx
    return any(trigger.end_char <= start <= end for start, *_ in dates)


def describing_participle(doc: Doc, sent: Span, trigger: Span) -> bool:
    """'the vendor, blacklisted by the US', 'cameras, some of them banned by the US': a participle describing
    a noun, not a finite verb reporting an act."""
    if len(trigger) != 1 or not PARTICIPLE.match(trigger[0].lower_):
        return False
    if _word(doc, trigger.end) not in AFTER_PARTICIPLE:
        return False
    i = trigger.start - 1
    while i >= sent.start and doc[i].lower_ in ("also", "already", "previously", "since", "recently"):
        i -= 1
    if i < sent.start or doc[i].lower_ in AUX or doc[i].lower_ in ("been", "get", "got"):
        return False
    return doc[i].text in (",", "(", "—", "–") or doc[i].lower_ in ("them", "those", "which", "all", "both")


def describing_clause(doc: Doc, sent: Span, trigger: Span) -> bool:
    """'rules that bar the sale', 'a bill which would ban': a relative clause on a rule describes it (unless
    the rule is being made in the same sentence: "the FCC adopted new rules that prohibit ...")."""
    i = trigger.start - 1
    while i >= sent.start and doc[i].lower_ in AUX:
        i -= 1
    if i > sent.start and doc[i].lower_ in ("that", "which") and doc[i - 1].lower_ in LEGAL_NOUNS:
        return not any(MAKING.match(doc[k].lower_) for k in range(max(sent.start, i - 5), i - 1))
    # "the bill would bar ...", "the amendment would ban ...": a rule's hypothetical effect
    j = trigger.start - 1
    while j >= sent.start and doc[j].lower_ in ("also", "effectively", "not"):
        j -= 1
    if j >= sent.start and doc[j].lower_ == "would":
        for k in range(j - 1, max(sent.start, j - 5) - 1, -1):
            if doc[k].lower_ in LEGAL_NOUNS:
                return True
            if doc[k].text in (",", ";"):
                break
    return False


def undated_restatement(doc: Doc, text: str, sent: Span, trigger: Span, has_date: bool) -> bool:
    """'has been banned by the US', 'had been blacklisted by Washington': a perfect passive with its agent,
    restating an act the sentence does not date, is background (the act is news elsewhere)."""
    return not has_date and bool(HAVE_BEEN.search(text, sent.start_char, trigger.start_char)) \
        and any(doc[i].lower_ == "by" for i in range(trigger.end, min(sent.end, trigger.end + 3)))


PREPOSITIONS = {"of", "under", "in", "to", "from", "by", "with", "on", "for", "about", "against", "through", "via"}
MODAL_HYPOTHETICAL = re.compile(r"\b(?:could|would|might)(?:\s+(?:have|also|not|effectively|eventually|then|be))*"
                                r"(?:\s+(?:led|lead)\s+to)?(?:\s+\w+){0,3}\s*$", re.I)
COUNTRIES_AGENT = re.compile(r"^\s*(?:in|by|from|across)\s+(?:the\s+)?[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?"
                             r"(?:\s*,\s*(?:the\s+)?[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)*\s*(?:,\s*)?(?:and|or)\s+"
                             r"(?:the\s+)?[A-Z]")
PRESENT_PASSIVE = re.compile(r"\b(?:is|are)\s+(?:already\s+|also\s+|now\s+|effectively\s+)?$", re.I)


LAW_SUBJECTS = {"legislation", "bill", "bills", "act", "law", "laws", "section", "ndaa", "rule", "rules",
                "regulation", "regulations", "order", "statute", "amendment", "provision", "provisions", "measure"}


def law_subject(doc: Doc, sent: Span, trigger: Span, modifiers: frozenset = frozenset()) -> bool:
    """'This legislation bans ...', 'Those rules bar ...', 'Section 1709 names X and bars them': what a law says
    is its content, not an act of the day (the law's own passage is `legislation`)."""
    for i in range(trigger.start - 1, max(sent.start, trigger.start - 12) - 1, -1):
        word = doc[i].lower_
        if word in CLAUSE_STOP or word in ("that", "which", "who"):
            return False
        if word in LAW_SUBJECTS:
            before = doc[i - 1].lower_ if i > sent.start else ""
            after = doc[i + 1].lower_ if i + 1 < sent.end else ""
            if after == "to" or before in PREPOSITIONS or before in VERB_BEFORE:
                return False  # "a plan to remove", "under the Act", "will order an assessment"
            return word not in AMBIGUOUS or before in DETERMINERS or before in modifiers or doc[i].text[0].isupper() \
                or i == sent.start
    return False


REPORTED = re.compile(r"\b(said|says|told|announced|confirmed|pledged|promised|committed|decided|agreed|vowed|"
                      r"stated|insisted|added)\b", re.I)
FINDING = re.compile(r"^(found|finds|revealed|reveals|showed|shows|identified|concluded|uncovered|discovered|"
                     r"confirmed)$", re.I)


def vague(doc: Doc, sent: Span, trigger: Span, text: str, has_date: bool, restriction: bool = False) -> bool:
    """Restatements too vague to be an act (the set's convention): several countries at once ("banned in the
    US and the UK", "banned or removed in the UK, US, Australia ..."), a present-tense passive state without
    agent or date ("is already barred from using"), or a hypothetical ("could have led to ... being banned";
    but "said they would be removed" reports a commitment). `restriction`: the trigger is a restriction's."""
    after = text[trigger.end_char:trigger.end_char + 120]
    if COUNTRIES_AGENT.match(after):
        return True
    before = text[max(sent.start_char, trigger.start_char - 60):trigger.start_char]
    if restriction and not has_date and PARTICIPLE.match(trigger[0].lower_) \
            and PRESENT_PASSIVE.search(before) and not re.match(r"^\s*by\b", after):
        return True
    return bool(MODAL_HYPOTHETICAL.search(before)) and not REPORTED.search(text, sent.start_char, trigger.start_char)


def mention_only(doc: Doc, sent: Span, trigger: Span, text: str, dates=(), restriction: bool = False,
                 modifiers: frozenset = frozenset()) -> bool:
    """The trigger names an act the sentence does not report (see the module's docstring). `dates` are the
    (start, end, ...) character spans of the sentence's dates; `restriction`: the trigger is a restriction's;
    `modifiers`: the topic's nouns that modify an act's noun."""
    if is_noun(doc, sent, trigger, modifiers) and not made(doc, sent, trigger, text, dates):
        return True
    return describing_participle(doc, sent, trigger) or describing_clause(doc, sent, trigger) \
        or undated_restatement(doc, text, sent, trigger, bool(dates)) or law_subject(doc, sent, trigger, modifiers) \
        or vague(doc, sent, trigger, text, bool(dates), restriction)
