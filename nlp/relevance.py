"""Is a document about policy on Chinese-made surveillance equipment? With reasons.

Relevant: a Chinese surveillance vendor, or a Chinese telecoms vendor or a
class of Chinese-made equipment together with surveillance context; and not
vendor product or financial news. Not relevant: CCTV in general, non-Chinese
vendors alone, China stories without such equipment.
"""

from __future__ import annotations

import re


SURVEILLANCE_CONTEXT = re.compile(
    r"\b(surveillance|cctv|cameras?|video|facial recognition|biometric\w*|covered list|covered equipment|"
    r"equipment authori[sz]ation|national intelligence law|drones?|security equipment|security systems?|"
    r"physical security|uyghurs?|uighurs?|xinjiang|entity list|police|policing)\b", re.I)
PRODUCT_OR_FINANCE = re.compile(
    r"\b(revenue|profits?|shares?|stock|earnings|quarterly|dividend|ipo|investors?|launch(?:es|ed)?|unveil\w*|"
    r"new (?:camera|product|model|range|series)|firmware|hands-on|review:|price|discount|deal of|best (?:cheap )?"
    r"(?:security )?cameras?|buy now|trade show|expo|partnership with|distributor|r&d|research (?:and|&) development|"
    r"open(?:s|ed|ing)? (?:a )?new (?:office|centre|center|factory|plant|headquarters|facility|research))\b", re.I)
PARLIAMENT_KINDS = {"written_question", "written_statement", "hansard", "govuk", "federal_register"}


def assess(vocab: dict, title: str, text: str, vendor_names: list[str], has_class: bool, actions: list[dict],
           kind: str | None) -> tuple[bool, list[str]]:
    """(relevant, reasons) for one document, by the topic's vocabulary (vocab.yml as data)."""
    vocab = vocab["vendors"]
    by_name = {v["name"]: v for v in vocab.values()}
    chinese = [n for n in vendor_names if by_name.get(n, {}).get("chinese")]
    surveillance_vendors = [n for n in chinese if by_name[n]["sector"] == "surveillance"]
    whole = f"{title}\n{text}"
    context = SURVEILLANCE_CONTEXT.search(whole)
    reasons = [f"vendor:{n}" for n in chinese]
    if has_class:
        reasons.append("class:chinese-made equipment")
    if context:
        reasons.append(f"context:{context.group(0).lower()}")
    if kind in PARLIAMENT_KINDS:
        reasons.append(f"source:{kind}")
    reasons += [f"action:{t}" for t in dict.fromkeys(a["type"] for a in actions)]
    if not chinese and not has_class:
        non_chinese = [n for n in vendor_names if n not in chinese]
        return False, (["only non-Chinese vendors"] if non_chinese else ["no Chinese vendor or Chinese-made equipment"])
    if not surveillance_vendors and not context:
        return False, reasons + ["no surveillance equipment in the story"]
    product = PRODUCT_OR_FINANCE.search(whole)
    if product and not actions and kind not in PARLIAMENT_KINDS:
        return False, reasons + [f"vendor product or financial news ({product.group(0).lower()})"]
    return True, reasons
