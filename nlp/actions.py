"""From trigger words to actions: the rules for type, modality, actor, targets and date.

The rules are the language of the domain; every word of the topic (its action
types and what each does, the words that say a sentence is about it, its
governments) comes from the topic's vocab.yml (``ActionRules(vocab)``).

One sentence at a time:

1. A question (a written question's "To ask ...", anything ending in "?") is
   nobody's action. A sentence must name a vendor, a class of vendors, the
   topic's equipment, or the topic's context words (a type's own ``context``
   too; a denial or a refusal to comment needs only a document about the topic).
2. The trigger's id gives its type (``<type>.<rule>``); a trigger family
   (``<family>.<rule>``, vocab ``trigger_families``) is typed by the words
   around it, first match wins.
3. Negation before the trigger ("has no plans to ban") drops it, unless the type
   is ``self_negating``; considering or proposing a restriction is the type whose
   role is ``reviews``; a call ("called for", "urged", "should" from anyone but a
   government) for a restriction or a law is the type whose role is ``calls_for``.
4. Actor: in the nearest clause before the trigger that names one ("X ruled
   that Y acted when it banned" -> Y), the first organisation, office, place,
   person or group that is not the object of a preposition (across "the",
   "its"...), not a modifier ("government-funded") and not part of a dateline;
   an owner gives way to what it owns ("the Government's Foreign Affairs
   Committee", "the US Federal Communications Commission"). A vendor acts only
   in its own denial (role ``denies``; "the company said..." -> the document's
   vendor), organisations of the vocabulary's ``not_actors`` never. A finite
   passive ("was blacklisted") skips the subject: "by X" ("made by X" names a
   maker, not an agent), "in <country>", else the document's issuer (answering
   department, agency, speaker), else the jurisdiction's government.
5. Targets: the vendors named in the sentence; ``*`` for a class
   ("companies subject to a named law"); else the document's vendors.
6. Date: the first date in the sentence that is not a deadline and not after the
   document's date; else the document's date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from . import confidence as calibration
from . import context, learned, statements
from .conventions import Conventions, offices_of_people
from .shapes import sentence_around

QUESTION = re.compile(r"^\s*(to ask\b|asked\b)", re.I)
DIRECTIVE = re.compile(r"\b(should|asked|told|advised|instructed|directed|consideration should|encouraged|"
                       r"invited|were to)\b", re.I)
NOT_REVIEW = re.compile(r"\b(judicial review|under (?:constant|continuous|regular|ongoing|close) review|"
                        r"requir\w+ (?:a |an )?(?:\w+ ){0,3}(?:audit|assessment|review))\b", re.I)
REPORTING_KINDS = {"news", "ngo", "law_firm", "company", ""}
RULE_WORDS = re.compile(r"\brules?\b|rulemaking", re.I)
IRREALIS = re.compile(r"\bif (?:it|the bill|the act|the measure|passed|enacted)\b|\bif it (?:became|becomes|is) law\b|"
                      r"\bpossibility\b", re.I)
COMPANY_WORDS = re.compile(r"\b(?:the (?:company|firm|manufacturer)|spokes(?:man|woman|person))\b", re.I)
NEGATION = {"not", "n't", "no", "never", "nor", "without", "neither", "against", "whether", "if", "unless"}
NEGATION_PHRASES = re.compile(r"\b(no plans?|no intention|rather than|refus\w* to|declin\w* to|no longer considering|"
                              r"stop(?:ped|s)? short of|encouraged to (?:see|hear|note|read)|left out of|failing to|"
                              r"failure to|"
                              r"not (?:currently )?(?:considering|planning))\b", re.I)
# what a vendor "challenging" or "appealing" must name for that to be its denial
CHALLENGED = re.compile(r"\b(order|orders|decision|ban|ruling|designation|listing|rule|sanctions?)\b", re.I)
# "ensure ... do not use or purchase" is a prohibition only under one of these
ENSURE = re.compile(r"\b(ensur\w*|make sure|so that|requir\w+|instruct\w*|direct\w*|order\w*|told|mandat\w*)\b", re.I)
# "a decision was taken not to install": "not to <verb>" is a ban only after one of these
DECISION = re.compile(r"\b(decid\w+|decision|agreed|resolved|stipulat\w+|opted|chose|chosen|committed|pledged|vowed|"
                      r"instructed|ordered|directed|policy)\b", re.I)
# an unnamed subject in the news is the state only in a sentence about the state
NATIONAL_CUE = re.compile(r"\b(government|federal|congress|parliament|minist\w+|law|bill|act|regulations?|ndaa|"
                          r"entity list|white house|administration|national|state department)\b", re.I)
LOCAL_CUE = re.compile(r"\b(councils?|local authorit\w+|authority|schools?|universit\w+|hospitals?|trusts?|"
                       r"retailers?|stores?|supermarkets?)\b", re.I)
# a trigger inside a sentence's leading concessive or circumstantial phrase is background, not news
BACKGROUND = re.compile(r"\s*[\"“']?(?:although|though|despite|in spite of|amid|amidst|notwithstanding)\b[^,;:]*$", re.I)
# ... or inside the clause: "despite Congress banning the use", "despite a government commitment to ban them"
CONCESSIVE = re.compile(r"\b(?:although|even though|despite|in spite of|notwithstanding)\b[^,;:]*$", re.I)
# the one urged is not the one who acts: "urged the government to remove", "wanted the Albanese government to"
CALLED_ON = re.compile(r"^(?:urg\w+|want\w*|ask\w*|press\w*|told|tell\w*|lobb\w+|petition\w*|implor\w+|"
                       r"encourag\w+|challeng\w+|call\w* (?:on|upon))$", re.I)
PRONOUN_SUBJECT = {"he", "she"}
MANY_STATES = re.compile(r"\b(?:(?:several|many|other|some|these|those|three|two|four|both|various|numerous|a number of)"
                         r" (?:\w+ )?(?:countries|nations|governments|states|partners|allies|democracies))\b", re.I)
ADVISED = re.compile(r"\b(?:advis\w+|warn\w+)\b", re.I)
CALLING_BODIES = {"ngo", "committee", "think_tank", "group", "commissioner", "council", "union"}
OWN_ACT_KINDS = {"written_statement"}  # a minister's statement instructing departments is their department's act
REVIEW_NOUNS = {"review", "reviews", "audit", "audits", "investigation", "investigations", "inspection", "inspections",
                "assessment", "assessments", "inquiry", "inquiries", "survey", "check", "checks"}
# the review as the one that found: "an audit found", "the review, which began in February, has found"
OWNERS = {"his", "her", "their", "its", "'s", "’s"}  # "his own audit had found": the owner reviewed
REVIEW_FOUND = re.compile(r"^(?:(?!\bto\b)[^.;]){0,40}?\b(?:found|finds|showed|shows|"
                          r"concluded|concludes|revealed|reveals|confirmed|uncovered|identified|discovered|suggested)\b")
REVIEW_CAUSE = re.compile(r"\b(?:after|following|follows|followed|during|prompted by|since|amid)\b(?: \w+){0,3}$")
ASKED_TO = re.compile(r"\b(?:ask\w*|urg\w+|call\w* on) (?:\w+ ){0,3}to(?: \w+)?$")
# "departments were instructed to cease deployment", "Whitehall ministries were told": the government acts (guide 5.2)
DEPARTMENTS_TOLD = re.compile(r"\b(?:departments|ministries|agencies)(?: and agencies)?,?(?: \w+){0,2} (?:have |had |has )?"
                              r"(?:been |were |are |being |was )?(?:\w+ )?(?:instructed|told|ordered|asked|directed|"
                              r"required|mandated)\b[^.;]*$", re.I)
LEGISLATORS_OFFICE = re.compile(r"^Office of (?:the )?(?:Senator|Sen\.|Representative|Rep\.|Congressman|Congresswoman|"
                                r"Councillor|Delegate|Assemblymember) (.+)$")
DIRECTED = re.compile(r"^(?:direct|order|instruct|command)(?:s|ed)$")
PERSON_ROLES = {"calls_for", "reviews", "enacts"}  # the roles a person without an office can act in
# "they are under no obligation to do so", "are not required to remove": a permission, not an action
NO_OBLIGATION = re.compile(r"\b(under no obligation|no requirement|not (?:be )?(?:obliged|required|mandated|compelled))\b",
                           re.I)
JOB_TITLE = re.compile(r"\b(head|director|chief|officer|manager)(?: of| for)(?: \w+){0,2}"
                       r"(?: (?:and|&))?\s*$", re.I)
# "considering blacklisting", "looking at whether to ban", "may ban": not done yet, so a review; but
# "equipment that may be added to the list" describes, and is nobody's action
CONSIDER = re.compile(r"\b(consider\w*|look\w* at|looking into|explor\w*|weigh\w*|mull\w*)(?:\s+\w+){0,4}\s*$"
                      r"|(?<!\bthat )(?<!\bwhich )\b(could|may|might)(?:\s+\w+){0,2}\s*$", re.I)
# "The Commission proposes to revise its rules to prohibit ... on the Covered List": the proposal scopes
# over the rest of its clause
PROPOSAL = re.compile(r"\bpropos(?:es|ed|ing) to\b(?:(?!\b(?:and|but|then|while|whereas)\b)[^;])*$", re.I)
STRONG_CALL = re.compile(r"\b(call(?:s|ed|ing)? (?:for|on)|calls? from (?:\w+ ){1,3}to|urg\w+|ask(?:s|ed|ing)? for|demand\w*|press(?:es|ed|ing)? (?:for|the)|"
                         r"push\w* for|campaign\w* for|lobb\w+|petition\w*|want\w* (?:\w+ ){0,4}to|recommend\w*|"
                         r"follow (?:the )?(?:us|lead|example|united states|america)|it is time)\b", re.I)
WEAK_CALL = re.compile(r"\b(should|must|ought to|needs? to|has to|have to)\b", re.I)
PREPOSITIONS = {"of", "from", "to", "with", "on", "in", "at", "for", "about", "against", "into", "onto", "than",
                "between", "like", "including", "by", "under", "over", "via", "within", "across", "among"}
BE = {"been", "being", "is", "are", "was", "were", "get", "got", "gets"}
ADVERBS = {"also", "already", "now", "effectively", "officially", "formally", "reportedly", "since", "recently",
           "previously", "subsequently", "later", "then", "all", "both", "not", "never", "just", "quietly"}
PARTICIPLE = re.compile(r"(\w+ed|told|put|bought|sold|taken|shut|cut|ripped)$")
DETERMINERS = {"the", "a", "an", "its", "their", "his", "her", "our", "this", "these", "those", "several", "some",
               "all", "any", "both", "each"}
MADE = re.compile(r"(made|manufactured|produced|developed|supplied|built|owned|sold|provided|installed|operated)$")
CLAUSE_WORDS = {"which", "who", "when", "after", "because", "while", "whereas", "since", "as", ";", "but"}
REPORTING = re.compile(r"(said|says|stated|states|announced|announces|confirmed|confirms|ruled|rules|decided|concluded|"
                       r"found|finds|reported|claimed|argued|warned|added|explained|noted|revealed|agreed|believes?|"
                       r"believed|insisted|acknowledged|admitted|told|writes|wrote)$")
DATELINE = re.compile(r"\s*(?:[A-Z][\w.]*,?\s+){1,4}(?:\([A-Za-z]+\)\s+)?[—–-]{1,2}\s")
GOVERNMENT_KINDS = {"government", "department", "agency", "regulator", "commissioner", "police", "council",
                    "parliament"}
ABOUT_SUBJECT = {"denies", "declines"}  # roles whose sentences concern the document's subject, named or not
AFTER, BEFORE = 15, 8  # the words a trigger family's cues are looked for in
# a sentence referring back to the target of the one before ("He called on the government to get rid of them")
BACK_REFERENCE = r"them|they|these|those|such|it|its"


@dataclass
class Action:
    type: str
    actor: str | None
    vendors: list[str]
    date: str | None
    evidence: str
    start: int
    end: int
    confidence: float
    rule: str
    trigger: str

    signals: dict | None = None

    def to_dict(self, with_signals: bool = False) -> dict:
        out = {"type": self.type, "actor": self.actor, "vendors": list(self.vendors), "date": self.date,
               "evidence": self.evidence, "start": self.start, "end": self.end, "confidence": self.confidence,
               "rule": self.rule, "trigger": self.trigger}
        if with_signals:
            out["signals"] = self.signals
        return out


class ActionRules:
    """The rules, with the topic's vocabulary (vocab.yml as data) they read."""

    def __init__(self, vocab: dict, window: int = 12, confidence=None):
        self.window = window
        self.model = confidence  # nlp/confidence.py Model, or None: the rules' own estimate
        self.keep_signals = False  # python -m nlp calibrate reads the signals of each action
        self.learned = None  # nlp/learned.py TypeModel: a trained scorer of the types, or None (rules only)
        self.types: dict[str, dict] = vocab["actions"]
        self.role_type = {spec["role"]: name for name, spec in self.types.items() if spec.get("role")}
        self.type_context = {name: re.compile(spec["context"], re.I) for name, spec in self.types.items()
                             if spec.get("context")}
        self.type_requires = {name: re.compile(spec["requires"], re.I) for name, spec in self.types.items()
                              if spec.get("requires")}
        self.families = {family: [(cue["type"], _regex(cue.get("after")), _regex(cue.get("around"))) for cue in cues]
                         for family, cues in (vocab.get("trigger_families") or {}).items()}
        words = vocab.get("context") or {}
        self.sentence_context = _regex(words.get("sentence"))
        self.back_reference = re.compile(r"\b(" + "|".join([BACK_REFERENCE] + [re.escape(w) for w in
                                                          words.get("back_references") or []]) + r")\b")
        self.high_confidence = set(vocab.get("high_confidence_rules") or [])
        organisations = vocab["organisations"]
        self.org_kind = {o["name"]: o["kind"] for o in organisations.values()}
        self.conventions = Conventions(vocab)
        self.person_office: dict[str, str] = {}
        self.governments = {jurisdiction: organisations[oid]["name"]
                            for jurisdiction, oid in (vocab.get("governments") or {}).items()}
        self.in_scope = {v["name"] for v in vocab["vendors"].values() if v.get("in_scope")}
        # a department -> the government of its country ("Department of X" -> "<country> Government")
        self.org_government = {o["name"]: self.governments.get((o.get("jurisdiction") or "")[:2]) for o in organisations.values()
                               if o.get("kind") in ("department", "agency")}
        # the state the vendors answer to never bans, removes or calls for a ban of them
        silent = set((vocab.get("not_actors") or {}).get("jurisdictions") or [])
        self.not_actors = {o["name"] for o in organisations.values() if o.get("jurisdiction") in silent}
        self.modifiers = frozenset(words.get("modifiers") or [])
        # vocab office_holders: (full name, surname) -> [(body, from, to)] (guide 5.2: a minister acts as their department)
        self.holders: dict[str, list[tuple[str, str, str]]] = {}
        for h in vocab.get("office_holders") or []:
            if h.get("office") in organisations:
                entry = (organisations[h["office"]]["name"], str(h.get("from") or ""), str(h.get("to") or ""))
                self.holders.setdefault(h["name"], []).append(entry)
        self.group_labels = {j: {k.lower(): v for k, v in (labels or {}).items()}
                             for j, labels in (vocab.get("group_labels") or {}).items()}
        self.scopes = {rule: set(families) for rule, families in (vocab.get("rule_scopes") or {}).items()}

    def _role(self, kind: str | None) -> str | None:
        return self.types.get(kind or "", {}).get("role")

    def _restricts(self, family: str) -> bool:
        """A restriction's trigger: a type that restricts, or a trigger family (typed as one)."""
        return bool(self.types.get(family, {}).get("restricts")) or family in self.families

    def _applies(self, rule: str, family: str) -> bool:
        """Whether a rule limited to some triggers applies to this family: the vocabulary's rule_scopes
        name them; without one, every restriction's trigger."""
        return family in self.scopes[rule] if rule in self.scopes else self._restricts(family)

    # -- the document -------------------------------------------------------

    def actions(self, doc: Doc) -> list[dict]:
        meta = doc._.meta or {}
        entities = list(doc.spans.get("entities", []))
        triggers = _longest(doc.spans.get("triggers", []))
        vendor_spans = [s for s in entities if s.label_ == "VENDOR"]
        if not triggers and not vendor_spans:
            return []
        blocked = [s for s in entities if s.label_ in ("CLASS", "VENDOR", "ORG", "OFFICE")]
        triggers = [t for t in triggers if not any(t.start < b.end and b.start < t.end for b in blocked)]
        context = {
            "issuer": meta.get("issuer"), "speaker": meta.get("speaker"),
            "jurisdiction": (meta.get("jurisdiction") or "").upper()[:2],
            "published": (meta.get("published") or "")[:10] or None,
            "kind": meta.get("kind") or "",
            "doc_vendors": _unique([s.kb_id_ for s in entities if s.label_ == "VENDOR"] + list(meta.get("title_vendors") or [])),
            "doc_class": any(s.label_ == "CLASS" for s in entities),
        }
        context["topical"] = context["doc_class"] or any(v in self.in_scope for v in context["doc_vendors"]) \
            or bool(meta.get("title_topical"))
        found: list[Action] = []
        self.person_office = offices_of_people(entities)
        self.holder_office = self._holders(entities, context["published"])
        self.entities = entities
        self.text = meta.get("text") or doc.text  # Doc.text is rebuilt from the tokens on every access
        for sent in _sentences_with(doc, self.text, triggers):
            in_sent = [t for t in triggers if sent.start <= t.start < sent.end]
            if not in_sent:
                continue
            ents = [e for e in entities if sent.start <= e.start < sent.end]
            seen_types: set[str] = set()
            actions = [a for a in (self._action(doc, sent, t, ents, context) for t in in_sent) if a]
            if any(self._role(a.type) == "calls_for" for a in actions):  # "recommended that X ban Y" is a call
                actions = [a for a in actions if not (self._role(a.type) == "advises"
                                                      and a.trigger.lower().startswith("recommend"))]
            for action in actions:
                if action.type not in seen_types:
                    seen_types.add(action.type)
                    found.append(action)
                    found += self._coordinated(doc, action, ents, context)
        if context["topical"]:
            found += self._rebuttals(doc, vendor_spans, context,
                                     {a.start for a in found if self._role(a.type) == "denies"})
        found = self._one_level(found, context["published"])
        if self.learned is not None:  # drop the actions it scores wrong, add types it finds the rules missed
            found = self.learned.refine(self, doc, found, context)
        for action in found:
            if self.model is not None and action.signals:
                action.confidence = round(self.model.score(action.signals), 2)
            if action.rule.endswith(learned.PROPOSED):
                action.confidence = min(action.confidence, learned.PROPOSED_CAP)
        return [a.to_dict(self.keep_signals) for a in found]

    def _directed_body(self, doc, sent, trigger, ents) -> Span | None:
        """The body a person orders to act: '<person> directed/ordered/instructed the Army to stop ...'."""
        for e in ents:
            if e.label_ != "ORG" or e.end > trigger.start or e.kb_id_ in self.not_actors:
                continue
            i = e.start - 1
            if i >= sent.start and doc[i].lower_ in DETERMINERS:
                i -= 1
            if i >= sent.start and DIRECTED.match(doc[i].lower_) and e.end < len(doc) and doc[e.end].lower_ == "to":
                return e
        return None

    def _one_level(self, found: list[Action], published) -> list[Action]:
        """One act told at two levels in a document ("Cabinet Office Minister <name> revealed the decision";
        "the British government has told departments to stop"): a department and its government acting alike on
        the same date are one event (guide 6), and the department is who acted (guide 5.2) -- the government's
        mention is dropped."""
        out = []
        for a in found:
            if self.org_kind.get(a.actor) != "government" and a.actor not in self.governments.values():
                out.append(a)
                continue
            same = [b for b in found if b is not a and b.type == a.type and self.org_government.get(b.actor) == a.actor
                    and (b.date == a.date or published in (a.date, b.date))]
            if not same:
                out.append(a)
            for b in same:  # the act's own date, where only the government's mention gave it ("on Thursday")
                if b.date == published and a.date != published:
                    b.date = a.date
        return out

    def _rebuttals(self, doc, vendor_spans, ctx, taken: set[int]) -> list[Action]:
        """Vendors speaking against an allegation or decision in plain reporting (nlp/statements.py)."""
        denial = self.role_type.get("denies")
        if denial is None:
            return []
        anchors = list(vendor_spans)
        for m in COMPANY_WORDS.finditer(self.text):
            span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if span is not None:
                anchors.append(span)
        out = []
        for sent in _sentences_with(doc, self.text, anchors):
            start, end = _stripped(self.text, sent)
            if start in taken:
                continue
            in_sent = [e for e in doc.spans.get("entities", []) if sent.start <= e.start < sent.end]
            vendor = statements.rebuttal(doc, sent, self.text, [v for v in in_sent if v.label_ == "VENDOR"],
                                         self._main_vendor(ctx),
                                         [e for e in in_sent if e.label_ in ("PERSON", "ORG", "OFFICE", "GPE")])
            if vendor is None:
                continue
            taken.add(start)
            signals = calibration.signals(denial, f"{denial}.statement", False, vendor, "VENDOR", True, True, False,
                                          bool(self._dates_in(doc, sent)), ctx["kind"], end - start)
            out.append(Action(type=denial, actor=vendor, vendors=[vendor], date=self._date(doc, sent, ctx, sent[:1]),
                              evidence=self.text[start:end], start=start, end=end, confidence=0.6,
                              rule=f"{denial}.statement", trigger="", signals=signals))
        return out

    # -- one trigger ---------------------------------------------------------

    def _action(self, doc, sent: Span, trigger: Span, ents, ctx) -> Action | None:
        text = self.text[sent.start_char:sent.end_char]  # Span.text walks every token
        if QUESTION.match(text) or text.rstrip().endswith("?"):
            return None
        family, _, rule = trigger.id_.partition(".")
        labels = {e.label_ for e in ents}
        has_target = bool(labels & {"VENDOR", "CLASS", "EQUIP"}) or self._target_before(sent, ctx)
        if not has_target:
            if not ctx["topical"]:
                return None
            own_context = self.type_context.get(family)  # "adding 28 entities to the Entity List"
            if self._role(family) not in ABOUT_SUBJECT and not (self.sentence_context and self.sentence_context.search(text)) \
                    and not (own_context and own_context.search(text)):
                return None
            required = self.type_requires.get(family)
            if required and not required.search(text):
                return None
        before = doc[max(sent.start, trigger.start - self.window):trigger.start]
        before_text = self.text[before.start_char:before.end_char]
        kind = self._type(family, sent, trigger)
        if kind is None:
            return None
        if not (self.types[kind].get("self_negating") and family == kind):
            near = {t.lower_ for t in doc[max(sent.start, trigger.start - 5):trigger.start]}
            if near & NEGATION or NEGATION_PHRASES.search(before_text) or NO_OBLIGATION.search(text):
                return None
        if self._applies("irrealis", family) and IRREALIS.search(self.text, sent.start_char, trigger.start_char):
            return None  # "if it became law, it could lead to ... grounding drones"
        if BACKGROUND.match(self.text, sent.start_char, trigger.start_char) \
                or CONCESSIVE.search(self.text, sent.start_char, trigger.start_char):
            return None  # "Although hampered by the U.S. sanctions, the vendor's revenue ...": background
        if self._role(family) not in ABOUT_SUBJECT and context.mention_only(
                doc, sent, trigger, self.text, self._dates_in(doc, sent), self._applies("undated_passive", family),
                self.modifiers):
            return None  # "the ban", "the vendor, blacklisted by the US,", "rules that bar": named, not reported
        if self._types_restrict(family) and not (STRONG_CALL.search(before_text) or WEAK_CALL.search(before_text)) \
                and self._many_states(doc, sent, trigger, ents):
            return None  # "several countries had banned ...", "the US and Britain have restricted ...": no one act
        if rule == "ensure_not" and not ENSURE.search(before_text):  # "we do not use X" states a fact
            return None
        if rule == "decided_not" and not DECISION.search(before_text):  # "asked them not to use": no decision
            return None
        if rule == "challenges_order" and not CHALLENGED.search(self.text, trigger.end_char, trigger.end_char + 80):
            return None  # "appealing" to customers is no challenge of a ban
        if JOB_TITLE.search(before_text) and not re.search(r"(ed|ing)$", trigger[0].lower_):
            # a noun in a job title: "head of research & investigations at Big Brother Watch"
            return None
        restricts = bool(self.types[kind].get("restricts"))
        if restricts and (CONSIDER.search(before_text) or PROPOSAL.search(self.text, sent.start_char, trigger.start_char)):
            # "departments should consider removing": advice (guide 5.1 guidance); "is considering a ban": review
            role = "advises" if DIRECTIVE.search(text) and CONSIDER.search(before_text) else "reviews"
            kind = self.role_type.get(role)  # a restriction considered is none (if the topic has no such type)
            if kind is None:
                return None
            restricts = False
        role = self._role(kind)
        if role == "reviews" and (STRONG_CALL.search(before_text) or NOT_REVIEW.search(text)):
            return None  # a call for a review is no action (the set's convention); "judicial review"
        if role == "reviews" and self._role(family) == "reviews" and self._review_background(doc, sent, trigger, ents, ctx):
            return None  # "after an audit found 900 cameras", "a BBC investigation found": background, or the press's
        if trigger.start == sent.start and trigger[0].lower_.endswith("ing") and role != "denies":
            return None  # "Banning companies is no small step": a gerund subject speaks in general
        if self._role(family) == "enacts" and rule in ("rule", "word") and ctx["kind"] in REPORTING_KINDS \
                and RULE_WORDS.search(trigger.text):
            return None  # news of a regulator's new rules is their substantive act; the rule itself is the notice's
        if self._vendor_speaks(doc, sent, ents, ctx) and role not in ABOUT_SUBJECT:
            return None  # what a vendor says about a decision is its rebuttal, not the decision's news
        self.actor_span = None
        actor, actor_kind, actor_from_text = self._actor(doc, sent, trigger, ents, ctx, kind)
        actor_span = self.actor_span if actor_kind not in ("PERSON", "VENDOR", "GOVREF") else None
        if restricts or role == "enacts":
            if (STRONG_CALL.search(before_text) and not (actor_kind in GOVERNMENT_KINDS | {"GOVREF"}
                                                          and self._role(family) == "enacts")) \
                    or (WEAK_CALL.search(before_text) and self._caller(actor_kind, ctx)):
                kind = self.role_type.get("calls_for")  # "urged the Government to ban": a call, if the topic has one
                if kind is None:
                    return None
                role = "calls_for"
        if actor_kind in ("government", "GOVREF") and role not in ("calls_for", "denies"):
            office = self._reporting_minister(doc, sent, ents, actor)
            if office is not None:  # "Australia will remove ..., Defence Minister Richard Marles said": his department
                actor, actor_kind = office, self.org_kind.get(office, "department")
        if actor_kind == "PERSON" and actor_from_text and role not in PERSON_ROLES:
            # a person without an office the text gives them acts for a body: "Devine added that the policy was
            # advice to departments" (guide 5.2: a person acts only when no body is named); "<officer> directed
            # the Army to stop all use": the body directed acts
            directed = self._directed_body(doc, sent, trigger, ents)
            if directed is not None:
                actor, actor_kind = self._resolve(directed, ctx)
            else:
                actor, actor_kind, actor_from_text = self._fallback(sent, ctx)
        if role == "declines" and not self._declines_as_government(actor_kind, actor_from_text, ents, trigger, ctx):
            return None  # "the vendor declined to comment", "a spokeswoman for the law firm declined": no government
        if self._not_actor_speaks(ents, trigger):
            return None  # "Beijing always encourages its companies to ...": a not_actors state never acts here
        span = self.actor_span
        if role == "calls_for" and span is not None and span.label_ == "PERSON" \
                and span.kb_id_ in self.holder_office and actor == self.holder_office[span.kb_id_] \
                and not (self.person_office.get(span.kb_id_) or self.person_office.get(span.kb_id_.split()[-1])):
            actor, actor_kind = span.kb_id_, "PERSON"  # an officer's own call is theirs ("I called for the FCC to act")
        if role == "calls_for":
            body = self._caller_body(doc, sent, self.actor_span, ents)
            if body is not None:
                actor, actor_kind = self._resolve(body, ctx)
            elif (actor_kind in ("government", "GOVREF") or self.org_kind.get(actor) == "department") \
                    and self.actor_span is not None \
                    and self.role_type.get("advises") and self._urges(sent, self.actor_span, trigger):
                # a government urging or advising others to stop is its guidance, not a call (guide 5.1)
                kind, role = self.role_type["advises"], "advises"
        found_actor = actor
        if role not in ("denies", "calls_for"):
            actor = self.conventions.refine(kind, actor, actor_kind == "GOVREF", text.lower())
        if role == "denies" and actor_kind != "VENDOR":
            vendor_subject = next((e for e in ents if e.label_ == "VENDOR" and e.start < trigger.start), None)
            if vendor_subject is None and not re.search(r"\b(company|spokes\w+|firm|statement)\b", text, re.I):
                return None
            if vendor_subject is not None:
                actor, actor_kind, actor_from_text = vendor_subject.kb_id_, "VENDOR", True
            else:  # "the company said the allegations were unsubstantiated": the vendor the document is about
                actor, actor_kind, actor_from_text = self._main_vendor(ctx), "VENDOR", False
        vendors, vendors_from_text = self._targets(ents, actor, kind, ctx)
        evidence_start, evidence_end = _stripped(self.text, sent)
        confidence = (0.9 if rule in self.high_confidence else 0.75) - (0 if actor_from_text else 0.15) \
            - (0 if vendors_from_text else 0.1)
        signals = calibration.signals(
            kind, trigger.id_, rule in self.high_confidence, actor, actor_kind, actor_from_text, vendors_from_text,
            actor != found_actor, bool(self._dates_in(doc, sent)), ctx["kind"], len(text))
        action = Action(
            type=kind, actor=actor, vendors=vendors, date=self._date(doc, sent, ctx, trigger),
            evidence=self.text[evidence_start:evidence_end], start=evidence_start, end=evidence_end,
            confidence=round(max(0.1, confidence), 2), rule=trigger.id_, trigger=trigger.text, signals=signals,
        )
        action.actor_span, action.trigger_start = actor_span, trigger.start
        return action

    def _declines_as_government(self, actor_kind, actor_from_text, ents, trigger, ctx) -> bool:
        """A refusal to comment is a refusal (role declines) only from a government body (guide 5.1): one the text names as
        the refuser, or the body answering the document (a written answer)."""
        before = [e for e in ents if e.end <= trigger.start]
        if before and before[-1].label_ == "VENDOR" and trigger.start - before[-1].end <= 4:
            return False
        if actor_from_text:
            return actor_kind in GOVERNMENT_KINDS | {"GOVREF", "OFFICE", "government", "department", "agency"}
        return bool(ctx["issuer"]) or ctx["kind"] in ("written_question", "written_statement", "hansard", "govuk")

    def _not_actor_speaks(self, ents, trigger) -> bool:
        """The nearest body before the trigger is one of the vocabulary's not_actors (its spokespeople included)."""
        before = [e for e in ents if e.end <= trigger.start and e.label_ in ("ORG", "OFFICE", "GPE", "PERSON")]
        return bool(before) and before[0].kb_id_ in self.not_actors and before[0].label_ != "PERSON"

    def _vendor_speaks(self, doc, sent, ents, ctx) -> bool:
        """The sentence is a vendor's reported rebuttal ('the vendor argued that the congressional decision to restrict
        ... gives the FCC no basis')."""
        vendors = [e for e in ents if e.label_ == "VENDOR"]
        if not vendors and not ctx["topical"]:
            return False
        return statements.rebuttal(doc, sent, self.text, vendors, None,
                                   [e for e in ents if e.label_ in ("PERSON", "ORG", "OFFICE", "GPE")]) is not None

    def _target_before(self, sent: Span, ctx) -> bool:
        """'... X and Y cameras. He called on the government to get rid of all of them.': a target
        named in the sentence before, when this one refers back to it ('them', 'these', 'such')."""
        if not ctx["topical"]:
            return False
        words = self.text[sent.start_char:sent.end_char].lower()
        if not self.back_reference.search(words):
            return False
        return any(e.label_ in ("VENDOR", "CLASS", "EQUIP") and sent.start_char - 400 <= e.start_char < sent.start_char
                   for e in self.entities)

    def _main_vendor(self, ctx) -> str | None:
        return next((v for v in ctx["doc_vendors"] if v in self.in_scope), None) or next(iter(ctx["doc_vendors"]), None)

    def _type(self, family: str, sent: Span, trigger: Span) -> str | None:
        """The trigger's type: its family when that is a type, else the first cue of its trigger family
        found in the words after it (``after``) or around it (``around``)."""
        if family in self.types:
            return family
        cues = self.families.get(family)
        if not cues:
            return None
        after_span = sent.doc[trigger.start:min(sent.end, trigger.end + AFTER)]
        window_span = sent.doc[max(sent.start, trigger.start - BEFORE):min(sent.end, trigger.end + AFTER)]
        after = self.text[after_span.start_char:after_span.end_char]
        window = self.text[window_span.start_char:window_span.end_char]
        for kind, after_cue, around_cue in cues:
            if after_cue is None and around_cue is None:
                return kind
            if (after_cue is not None and after_cue.search(after)) or (around_cue is not None and around_cue.search(window)):
                return kind
        return None

    def _caller(self, actor_kind: str | None, ctx) -> bool:
        """Whether "should"/"must" from this actor is a demand rather than an instruction."""
        if actor_kind in ("commissioner", "committee", "parliament"):  # they recommend; governments instruct
            return True
        if actor_kind in GOVERNMENT_KINDS or actor_kind in ("GOVREF", "OFFICE", "GPE"):
            return False
        if actor_kind == "CALLERS":
            return True
        if actor_kind in ("PERSON", None) and ctx["kind"] in ("hansard", "news", ""):
            return True
        return actor_kind in ("committee", "party", "ngo", "group", "think_tank", "media")

    def _actor(self, doc, sent, trigger, ents, ctx, kind):
        candidates = [e for e in ents if e.end <= trigger.start and e.start >= _after_dateline(doc, sent, self.text)
                      and e.label_ in ("ORG", "OFFICE", "GPE", "GOVREF", "PERSON", "VENDOR")]
        agents = [e for e in candidates if _by_agent(doc, sent, e) and e.label_ != "VENDOR"]
        # reported speech and relative clauses: "X ruled that Y acted when it banned" -> Y, the
        # subject of the nearest clause before the trigger that names one
        # in the passive the subject suffers the action ("the vendor was blacklisted by the US")
        for start in ([] if _passive(doc, sent, trigger) else _clause_starts(doc, sent, trigger)):
            for e in candidates:
                if e.start < start or not self._can_act(doc, sent, e, kind, trigger, ents):
                    continue
                self.actor_span = e
                return self._resolve(self._owned(doc, e, ents), ctx) + (True,)
            antecedent = self._antecedent(doc, sent, start, candidates, kind)
            if antecedent is not None:  # "Big Brother Watch, which had written to supermarkets urging them to remove"
                self.actor_span = antecedent
                return self._resolve(self._owned(doc, antecedent, ents), ctx) + (True,)
        if agents:  # "the statement made by the Chancellor of the Duchy of Lancaster ... instructed"
            return self._resolve(self._owned(doc, agents[-1], ents), ctx) + (True,)
        for e in ents:
            if e.start < trigger.end or e.start - trigger.end > 7 or e.label_ not in ("ORG", "OFFICE", "GPE", "PERSON"):
                continue
            if _by_agent(doc, sent, e) or (e.label_ == "GPE" and _passive_in(doc, sent, trigger, e)):
                return self._resolve(self._owned(doc, e, ents), ctx) + (True,)
        person = self._pronoun_person(doc, sent, trigger)
        if person is not None:  # "He called on the government to get rid of them": the person named before
            return self._resolve(person, ctx) + (True,)
        if ctx["jurisdiction"] in self.governments and ctx["kind"] not in OWN_ACT_KINDS \
                and DEPARTMENTS_TOLD.search(self.text, sent.start_char, trigger.start_char):
            return self.governments[ctx["jurisdiction"]], "GOVREF", True
        return self._fallback(sent, ctx)

    def _holders(self, entities, published) -> dict[str, str]:
        """People of the text the vocabulary knows as holding an office on the document's date: name -> body."""
        out = {}
        if not self.holders:
            return out
        for e in entities:
            if e.label_ != "PERSON" or e.kb_id_ in out:
                continue
            for body, start, end in self.holders.get(e.kb_id_, ()):
                if published and (start and published < start or end and published > end):
                    continue
                out[e.kb_id_] = body
                break
        return out

    def _fallback(self, sent, ctx):
        """No actor in the sentence: the document's issuer, its speaker, else the jurisdiction's government."""
        if ctx["issuer"]:
            member = LEGISLATORS_OFFICE.match(ctx["issuer"])
            if member:  # a legislator's press office speaks for the legislator
                return member.group(1), "PERSON", False
            return ctx["issuer"], self.org_kind.get(ctx["issuer"], "department"), False
        if ctx["speaker"]:
            return ctx["speaker"], "PERSON", False
        if ctx["kind"] == "news":  # an unnamed subject in the news is the state only in a story about the state
            text = self.text[sent.start_char:sent.end_char]
            if not NATIONAL_CUE.search(text) or LOCAL_CUE.search(text):
                return None, None, False
        gov = self.governments.get(ctx["jurisdiction"])
        return (gov, "government", False) if gov else (None, None, False)

    def _coordinated(self, doc, action: Action, ents, ctx) -> list[Action]:
        """'Tesco and Morrisons have banned ...', 'the defence department and foreign ministry are removing ...':
        each body of a coordinated subject acts (one action each)."""
        span = getattr(action, "actor_span", None)
        if span is None or self._role(action.type) == "advises":  # joint guidance is its first-named issuer's
            return []
        out, last = [], span
        bodies = [e for e in ents if e.label_ in ("ORG", "OFFICE") and e.start >= span.end]
        for e in bodies:
            between = [t.lower_ for t in doc[last.end:e.start]]
            if not between or any(w not in (",", "and", "&", "the", "its") for w in between) \
                    or e.end > action.trigger_start or e.kb_id_ in self.not_actors \
                    or (e.end < len(doc) and doc[e.end].lower_ in PREPOSITIONS):  # "the China Research Group of MPs"
                break
            name, kind = self._resolve(e, ctx)
            if name and name != action.actor and self.org_kind.get(name) != "media":
                out.append(Action(**{**{f: getattr(action, f) for f in Action.__dataclass_fields__}, "actor": name}))
            last = e
        return out

    def _types_restrict(self, family: str) -> bool:
        return self._restricts(family) and family != self.role_type.get("enacts")

    def _many_states(self, doc, sent, trigger, ents) -> bool:
        """Several states at once as the subject of an undated restriction ("These three countries have banned
        them", "Japan and the US have already restricted ...", "two of Australia's Five Eyes partners, the US and
        Britain, moved to ban"): a restatement too vague to be one act (the set's convention)."""
        if self._dates_in(doc, sent):
            return False
        before = self.text[sent.start_char:trigger.start_char]
        if MANY_STATES.search(before):
            return True
        states = [e for e in ents if e.label_ == "GPE" and e.end <= trigger.start]
        return len(states) >= 2 and bool(re.search(r"\b(?:and|or)\b", self.text[states[0].end_char:states[-1].start_char]))

    def _urges(self, sent, actor_span, trigger) -> bool:
        """The actor is the one who urges or advises ('The government has ... urged Canadians to stop using
        them'), not the one urged ('recommended that the government ban')."""
        calls = list(STRONG_CALL.finditer(self.text, sent.start_char, trigger.start_char)) + \
            list(ADVISED.finditer(self.text, sent.start_char, trigger.end_char))
        return any(actor_span.end_char <= m.start() for m in calls)

    def _antecedent(self, doc, sent, start, candidates, kind) -> Span | None:
        """The body a relative clause with no subject of its own begins after: '<body>, which/who ...'."""
        if start - 1 <= sent.start or doc[start - 1].lower_ not in ("which", "who"):
            return None
        end = start - 2 if doc[start - 2].lower_ == "," else start - 1
        return next((e for e in candidates if e.end == end and e.label_ in ("ORG", "OFFICE", "PERSON", "GOVREF")
                     and (e.label_ != "VENDOR" or self._role(kind) == "denies")
                     and e.kb_id_ not in self.not_actors and self.org_kind.get(e.kb_id_) != "media"), None)

    def _caller_body(self, doc, sent, actor_span, ents) -> Span | None:
        """Who calls: 'Green Party TD Patrick Costello' is the member, not his party; 'Madeleine Stone, Legal and
        Policy Officer at Big Brother Watch' speaks for the body she is at (guide 5.2: a person only when no body
        is named)."""
        if actor_span is None:
            return None
        if actor_span.label_ == "ORG" and self.org_kind.get(actor_span.kb_id_) == "party":
            return next((e for e in ents if e.label_ == "PERSON" and 0 <= e.start - actor_span.end <= 3), None)
        if actor_span.label_ == "PERSON":
            window = doc[actor_span.end:min(sent.end, actor_span.end + 9)]
            if len(window) and window[0].lower_ == ",":
                for e in ents:
                    if e.label_ == "ORG" and window.start < e.start < window.end \
                            and doc[e.start - 1].lower_ in ("at", "of", "for", "from") \
                            and self.org_kind.get(e.kb_id_) in CALLING_BODIES:
                        return e
        return None

    def _reporting_minister(self, doc, sent, ents, government) -> str | None:
        """The department of a minister of this government who says what it does in the sentence ("...,
        Defence Minister Richard Marles said"; "Marles said the government would ..."): a minister acting in office
        is their department (guide 5.2)."""
        for e in ents:
            if e.label_ == "OFFICE":
                office = e.kb_id_
            elif e.label_ == "PERSON":
                office = self.person_office.get(e.kb_id_) or self.person_office.get(e.kb_id_.split()[-1]) \
                    or self.holder_office.get(e.kb_id_)
            else:
                continue
            if not office or self.org_government.get(office) != government:
                continue
            after = [t.lower_ for t in doc[e.end:min(sent.end, e.end + 3)] if t.lower_ not in ("has", "had", ",")]
            before = doc[e.start - 1].lower_ if e.start > sent.start else ""
            if (after and REPORTING.match(after[0])) or REPORTING.match(before) \
                    or self.text[max(sent.start_char, e.start_char - 13):e.start_char].lower().rstrip() == "according to":
                return office
        return None

    def _review_background(self, doc, sent, trigger, ents, ctx) -> bool:
        """A review named as the source of a finding ("an audit found", "the review had concluded"), after a
        word that makes it the cause of what the sentence reports ("after an audit", "during the review"), asked
        for ("asking him to review"), or the press's own ("a BBC investigation", "an investigation by the
        Guardian"): no review reported."""
        before = " ".join(t.lower_ for t in doc[max(sent.start, trigger.start - 4):trigger.start])
        after = " ".join(t.lower_ for t in doc[trigger.end:min(sent.end, trigger.end + 8)])
        noun = trigger[-1].lower_ in REVIEW_NOUNS
        owned = trigger.start > sent.start and (doc[trigger.start - 1].lower_ in OWNERS or (
            doc[trigger.start - 1].lower_ == "own" and trigger.start - 2 >= sent.start))
        if noun and not owned and ctx["kind"] in REPORTING_KINDS \
                and (REVIEW_FOUND.match(after) or REVIEW_CAUSE.search(before)):
            return True  # the document that is the act reports its own review's conclusion: that is the review
        if ASKED_TO.search(before):
            return True
        press = [e for e in ents if e.label_ == "ORG" and self.org_kind.get(e.kb_id_) == "media"
                 and (0 <= trigger.start - e.end <= 1 or (0 < e.start - trigger.end <= 3 and _by_agent(doc, sent, e)))]
        return noun and bool(press)

    def _pronoun_person(self, doc, sent, trigger) -> Span | None:
        """'He told The Canberra Times he wanted ...': a subject 'he' or 'she' before the trigger is the person
        the text named last before the sentence."""
        if not any(t.lower_ in PRONOUN_SUBJECT and (t.i == sent.start or not doc[t.i - 1].is_alpha
                                                    or doc[t.i - 1].lower_ in ("that", "and", "but"))
                   for t in doc[sent.start:trigger.start]):
            return None
        before = [e for e in self.entities if e.label_ == "PERSON" and e.end <= sent.start]
        return before[-1] if before else None

    def _can_act(self, doc, sent, e, kind, trigger, ents) -> bool:
        """A subject, not the object of a preposition ("banned from the Government estate"), not a
        modifier ("government-funded"), and no vendor unless the action is its denial; the owner
        of the trigger acts wherever it stands ("added to the Commerce Department's Entity List")."""
        if e.label_ == "VENDOR" and self._role(kind) != "denies":
            return False
        if e.label_ == "GOVREF" and e.id_ == "callers" and any(p.label_ == "PERSON" and p.start == e.end for p in ents):
            return False  # "Senators Jo Example and Sam Other have introduced": a plural title, the people act
        if e.label_ in ("ORG", "OFFICE", "GPE") and e.kb_id_ in self.not_actors:
            return False
        if self.org_kind.get(e.kb_id_) == "media":  # "according to Reuters", "told the BBC": who reports acts not
            return False
        if e.label_ == "PERSON" and any(o.label_ in ("ORG", "OFFICE", "GPE") and o.kb_id_ in self.not_actors
                                        and 0 <= e.start - o.end <= 2 for o in ents):
            return False  # "<a not_actors ministry> spokeswoman <name>"
        if e.end_char < len(self.text) and self.text[e.end_char] == "-":
            return False
        if e.end < len(doc) and doc[e.end].lower_ in ("'s", "’s") and trigger.start - e.end <= 2:
            return True
        if _called_on(doc, sent, e):
            return False
        return not _prepositional(doc, sent, e) or _spokesperson_for(doc, e)

    @staticmethod
    def _owned(doc, e, ents):
        """"Australia's Department of Defence", "the Government's foreign affairs committee": the
        organisation owned acts, not its owner."""
        if e.end < len(doc) and doc[e.end].lower_ in ("'s", "’s"):
            owned = next((o for o in ents if o.label_ in ("ORG", "OFFICE") and e.end < o.start <= e.end + 4), None)
            if owned is not None:
                return owned
        if e.label_ == "GPE":  # "the US Federal Communications Commission", "British Cabinet Office"
            owned = next((o for o in ents if o.label_ in ("ORG", "OFFICE") and o.start == e.end), None)
            if owned is not None:
                return owned
        return e

    def _resolve(self, span: Span, ctx) -> tuple[str | None, str | None]:
        label, name = span.label_, span.kb_id_
        if label == "GOVREF":
            if span.id_ == "callers":  # "dozens of lawmakers" in a British story: "MPs" (guide 5.2 plain labels)
                word = span.text.lower()
                label = (self.group_labels.get(ctx["jurisdiction"]) or {}).get(word) \
                    or (self.group_labels.get("any") or {}).get(word) or span.text
                return label, "CALLERS"
            if span.id_ == "issuer":
                member = LEGISLATORS_OFFICE.match(ctx["issuer"] or "")
                if member:  # "I" in a senator's release is the senator
                    return member.group(1), "PERSON"
                if ctx["issuer"]:
                    return ctx["issuer"], self.org_kind.get(ctx["issuer"], "department")
                if ctx["speaker"]:
                    return ctx["speaker"], "PERSON"
                if span.text.lower() in ("we", "i") and ctx["kind"] == "news":  # a quote from someone unnamed
                    return None, None
            gov = self.governments.get(ctx["jurisdiction"])
            if gov:
                return gov, "GOVREF"  # a government named by reference ("the Government"): guide 5.2
            return (ctx["issuer"], "department") if ctx["issuer"] else (span.text, "GOVREF")
        if label in ("ORG", "OFFICE", "GPE"):
            return name, (self.org_kind.get(name, "department") if label != "GPE" else "government")
        if label == "PERSON":  # a minister acting in office is their department (guide 5.2)
            office = self.person_office.get(name) or self.person_office.get(name.split()[-1]) \
                or self.holder_office.get(name)
            if office:
                return office, self.org_kind.get(office, "department")
        return name, label

    def _targets(self, ents, actor, kind, ctx) -> tuple[list[str], bool]:
        vendors = _unique(e.kb_id_ for e in ents if e.label_ == "VENDOR" and (self._role(kind) == "denies"
                                                                                or e.kb_id_ != actor))
        if vendors:
            return vendors, True
        if any(e.label_ == "CLASS" for e in ents):
            return ["*"], True
        if ctx["doc_class"] or not ctx["doc_vendors"]:
            return ["*"], False
        return list(ctx["doc_vendors"]), False

    @staticmethod
    def _dates_in(doc, sent) -> list:
        """The dates the sentence gives of its own."""
        return [d for d in doc._.dates or [] if d[0] >= sent.start_char and d[1] <= sent.end_char]

    def _date(self, doc, sent, ctx, trigger) -> str | None:
        """The date in the sentence nearest the trigger, a written-out one before one read against the
        document's date ("barred the app in March, while in 2020 it said it would ban the vendor" -> 2020;
        "In January 2020, in a report made public last week, ... recommended" -> 2020-01); never a
        deadline, never after the document's date."""
        published = ctx["published"]
        best = None
        lead = _stripped(self.text, sent)[0]
        for start, end, value, deadline, relative in doc._.dates or []:
            if start >= sent.start_char and end <= sent.end_char and not deadline:
                if published and value[:len(published)] > published[:len(value)]:
                    continue
                if start == lead and value == published and re.match(r"\s*[.,]", self.text[end:end + 2]):
                    continue  # "23 May 2019. The company said on Wednesday ...": a dateline is the document's date
                # a date that opens the sentence ("In June this year the office committed to ..., extending its
                # November 2022 directive") scopes over it; else the nearest, a written-out one first
                opening = bool(re.fullmatch(r"[\W]*(?:(?:back|and|but|then|so|also|later|earlier)[ \t,]+)?",
                                            self.text[lead:start], re.I))
                between = any(d[0] >= end and d[1] <= trigger.start_char and not d[4]
                              for d in doc._.dates or [] if d[0] >= sent.start_char)
                opening = opening and end <= trigger.start_char and not between
                rank = (not opening, relative, max(start - trigger.end_char, trigger.start_char - end, 0))
                if best is None or rank < best[0]:
                    best = (rank, value)
        if best is not None:
            return best[1]
        return published


def _by_agent(doc, sent, span) -> bool:
    """'by X' or 'by the X', but not 'made by X' (who made the equipment does not act)."""
    i = span.start - 1
    if i > sent.start and doc[i].lower_ in ("the", "a", "an"):
        i -= 1
    return i >= sent.start and doc[i].lower_ == "by" and not (i > sent.start and MADE.match(doc[i - 1].lower_))


def _called_on(doc, sent, span) -> bool:
    """The object of a call: 'urged the government', 'called on the Albanese government'."""
    i = span.start - 1
    if i >= sent.start and doc[i].lower_ in DETERMINERS:
        i -= 1
    if i < sent.start:
        return False
    word = doc[i].lower_
    if word in ("on", "upon") and i > sent.start:
        word = doc[i - 1].lower_ + " " + word
    return bool(CALLED_ON.match(word))


def _prepositional(doc, sent, span) -> bool:
    """The object of a preposition, across determiners: 'from the foreign government'; not after a quantity
    ('dozens of lawmakers', 'a group of 67 British lawmakers')."""
    i = span.start - 1
    for _ in range(2):
        if i < sent.start or doc[i].lower_ not in DETERMINERS:
            break
        i -= 1
    if i >= sent.start and doc[i].lower_ == "of" and span.label_ == "GOVREF":
        j = i - 1
        while j >= sent.start and (doc[j].like_num or doc[j].lower_ in ("british", "uk", "us", "australian", "canadian",
                                                                      "cross-party", "senior", "conservative", "labour")):
            j -= 1
        if j >= sent.start and doc[j].lower_ in QUANTITIES:
            return False
    return i >= sent.start and doc[i].lower_ in PREPOSITIONS


QUANTITIES = {"dozens", "hundreds", "scores", "group", "number", "majority", "coalition", "handful", "some", "many",
              "several", "most", "all", "dozen", "couple"}


def _clause_starts(doc, sent, trigger) -> list[int]:
    """Token indexes where the clauses before the trigger begin, nearest first, ending with the
    sentence's start: after 'that' following a reporting verb, relative 'which'/'who', a
    subordinating word ('when', 'after', 'because', 'while') or a semicolon."""
    starts = []
    for i in range(trigger.start - 1, sent.start, -1):
        word = doc[i].lower_
        if word in ("who", "which") and i > sent.start and doc[i - 1].lower_ == "," \
                and any(t.lower_ == "," for t in doc[i + 1:trigger.start]):
            continue  # "<name>, who chairs the committee, said ...": a closed relative clause is not the trigger's
        if word in CLAUSE_WORDS or (word == "that" and any(REPORTING.match(t.lower_) for t in doc[max(sent.start, i - 4):i])):
            starts.append(i + 1)
    return starts + [sent.start]


def _after_dateline(doc, sent, text) -> int:
    """The first token after a news dateline ("CANBERRA, Australia (AP) —"), else the sentence start."""
    m = DATELINE.match(text, sent.start_char, sent.end_char)
    if not m:
        return sent.start
    span = doc.char_span(m.end(), sent.end_char, alignment_mode="expand")
    return span.start if span is not None else sent.start


def _passive(doc, sent, trigger) -> bool:
    """'were banned', 'has been blacklisted': a finite passive. '(called for it) to be removed' is not: the
    caller acts."""
    if not PARTICIPLE.match(trigger[0].lower_):
        return False
    i = trigger.start - 1
    while i >= sent.start and doc[i].lower_ in ADVERBS:
        i -= 1
    return i >= sent.start and doc[i].lower_ in BE


def _passive_in(doc, sent, trigger, span) -> bool:
    """'have been blacklisted in the United States': the country acted."""
    i = span.start - 1
    if i > trigger.end and doc[i].lower_ in DETERMINERS:
        i -= 1
    return doc[i].lower_ == "in" and i - trigger.end <= 1 \
        and any(t.lower_ in ("been", "was", "were", "is", "are", "be") for t in doc[max(sent.start, trigger.start - 2):trigger.start])


def _spokesperson_for(doc, span) -> bool:
    """'a spokesperson for the Cabinet Office' names who speaks."""
    i = span.start - 1
    return i >= 1 and doc[i].lower_ == "for" and doc[i - 1].lower_.startswith(("spokes", "representative"))


def _longest(spans) -> list[Span]:
    """Overlapping trigger matches reduced to the longest (earliest on ties)."""
    ordered = sorted(spans, key=lambda s: (-(s.end - s.start), s.start))
    taken: set[int] = set()
    kept = []
    for span in ordered:
        if not any(i in taken for i in range(span.start, span.end)):
            kept.append(span)
            taken.update(range(span.start, span.end))
    return sorted(kept, key=lambda s: s.start)


def _sentences_with(doc: Doc, text: str, triggers: list[Span]) -> list[Span]:
    """Only the sentences that hold a trigger (most sentences hold none), as token spans."""
    seen, out = set(), []
    for trigger in triggers:
        start, end = sentence_around(text, trigger.start_char, trigger.end_char)
        sent = doc.char_span(start, end, alignment_mode="expand")
        if sent is not None and sent.start not in seen:
            seen.add(sent.start)
            out.append(sent)
    return out


def _stripped(text: str, sent: Span) -> tuple[int, int]:
    start, end = sent.start_char, sent.end_char
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _unique(values) -> list:
    seen, out = set(), []
    for v in values:
        if v and v not in seen:
            seen.add(v)
            out.append(v)
    return out


def _regex(pattern: str | None) -> re.Pattern | None:
    """A vocabulary regex (case-insensitive), or None where the vocabulary has none."""
    return re.compile(pattern, re.I) if pattern else None
