"""Who acts, by the guide's conventions (section 5.2), read from the topic's vocabulary.

- ``fixed_actors`` (vocab.yml): acts whose actor is fixed by convention (Entity List
  additions are the US Department of Commerce's, FCC orders the Commission's, s.889 as a
  law Congress's): when the sentence holds a cue and the actor found is a government
  the convention refines, the act is the convention's actor.
- ``acts_as`` of an organisation: an agency acting where the convention names its
  department ("Bureau of Industry and Security" -> its department). (``parent`` is the
  hierarchy the events are resolved with; a department does not act as its government.)
- A minister acting in office is their department: a person the text names in an office
  ("Defence Minister <name>", "<department> minister <name>") acts as that department,
  wherever the document names them again, by surname too ("Mr <surname>").
"""

from __future__ import annotations

from spacy.tokens import Span


class Conventions:
    def __init__(self, vocab: dict):
        orgs = vocab.get("organisations", {})
        self.parent = {o["name"]: orgs[o["acts_as"]]["name"] for o in orgs.values()
                       if o.get("acts_as") and o["acts_as"] in orgs}
        self.fixed = [dict(rule, cues=[c.lower() for c in rule.get("cues", [])],
                           instead_of=set(rule.get("instead_of", [])), types=set(rule.get("types", [])))
                      for rule in vocab.get("fixed_actors") or []]

    def refine(self, kind: str, actor: str | None, from_reference: bool, sentence: str) -> str | None:
        """The actor by convention for an act of `kind` in `sentence` (lower case), or the actor found."""
        actor = self.parent.get(actor, actor)
        for rule in self.fixed:
            if kind not in rule["types"] or not any(cue in sentence for cue in rule["cues"]):
                continue
            if actor is None or (actor in rule["instead_of"]
                                 and not (from_reference and rule.get("not_for_references"))):
                return rule["actor"]
            return actor
        return actor


def offices_of_people(entities: list[Span]) -> dict[str, str]:
    """Person name and surname -> the organisation of the office the text gives them: an OFFICE span that
    holds the name or ends right before it ("Defence Minister Richard Marles", "Cabinet Office minister
    Oliver Dowden")."""
    offices = [e for e in entities if e.label_ == "OFFICE"]
    out: dict[str, str] = {}
    for person in (e for e in entities if e.label_ == "PERSON"):
        for office in offices:
            if office.start <= person.start and person.end <= office.end or 0 <= person.start - office.end <= 1 \
                    or _apposition(person, office):
                name = person.kb_id_
                out[name] = office.kb_id_
                out.setdefault(name.split()[-1], office.kb_id_)
                break
    return out


def _apposition(person: Span, office: Span) -> bool:
    """'Oliver Dowden, Chancellor of the Duchy of Lancaster', 'Richard Marles, the defence minister'."""
    between = [t.lower_ for t in person.doc[person.end:office.start]]
    return 1 <= len(between) <= 2 and between[0] == "," and all(w in (",", "the") for w in between)
