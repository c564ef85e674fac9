"""Is a document about the topic's policy? With reasons, in the topic's words.

Relevant: an in-scope vendor of one of the topic's own sectors; or an in-scope
vendor of another sector, or a class of vendors, together with the topic's
document context; and not vendor product or financial news (the topic's
``off_topic`` words) unless the document reports an action or comes from a
parliament or government source. Not relevant: only out-of-scope vendors, or
neither vendor nor class. Every word is the topic's (vocab.yml ``context`` and
``reasons``); the rule is this module's.
"""

from __future__ import annotations

import re

PARLIAMENT_KINDS = {"written_question", "written_statement", "hansard", "govuk", "federal_register"}


class Relevance:
    def __init__(self, vocab: dict):
        context = vocab.get("context") or {}
        self.document_context = re.compile(context["document"], re.I) if context.get("document") else None
        self.off_topic = re.compile(context["off_topic"], re.I) if context.get("off_topic") else None
        self.sectors = set(context.get("sectors") or [])
        self.reasons = vocab["reasons"]
        self.vendors = {v["name"]: v for v in vocab["vendors"].values()}

    def assess(self, title: str, text: str, vendor_names: list[str], has_class: bool, actions: list[dict],
               kind: str | None) -> tuple[bool, list[str]]:
        """(relevant, reasons) for one document."""
        in_scope = [n for n in vendor_names if self.vendors.get(n, {}).get("in_scope")]
        own_sector = [n for n in in_scope if self.vendors[n].get("sector") in self.sectors]
        whole = f"{title}\n{text}"
        context = self.document_context.search(whole) if self.document_context else None
        reasons = [f"vendor:{n}" for n in in_scope]
        if has_class:
            reasons.append(self.reasons["class"])
        if context:
            reasons.append(f"context:{context.group(0).lower()}")
        if kind in PARLIAMENT_KINDS:
            reasons.append(f"source:{kind}")
        reasons += [f"action:{t}" for t in dict.fromkeys(a["type"] for a in actions)]
        if not in_scope and not has_class:
            others = [n for n in vendor_names if n not in in_scope]
            return False, [self.reasons["only_out_of_scope"] if others else self.reasons["nothing_in_scope"]]
        if not own_sector and not context:
            return False, reasons + [self.reasons["no_context"]]
        product = self.off_topic.search(whole) if self.off_topic else None
        if product and not actions and kind not in PARLIAMENT_KINDS:
            return False, reasons + [f"vendor product or financial news ({product.group(0).lower()})"]
        return True, reasons
