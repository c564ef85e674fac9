"""Figures per field on the parts of a topic's evaluation set, side by side.

A topic's ``eval/`` directory holds ``train.jsonl``, ``dev.jsonl`` and
``test.jsonl`` (written by ``python -m nlp split``; eval/README.md says how the
documents were chosen and labelled). Rules and training use train, choices are
made on dev, and test is scored only when a piece of work is finished.
"""

from __future__ import annotations

from pathlib import Path

from .evaluate import TARGETS, evaluate
from .split import PARTS, read

F1_FIELDS = ("relevant", "vendors", "organisations", "people", "action_type", "type_actor")
VALUE_FIELDS = ("relevance_accuracy", "action_dates_right", "evidence_verbatim")


def evaluate_parts(directory: Path, parts: tuple[str, ...], nlp=None) -> dict[str, dict]:
    """part -> the report of nlp.evaluate for each part present in `directory`."""
    from .pipeline import build_nlp

    nlp = nlp or build_nlp()
    reports = {}
    for part in parts:
        path = Path(directory) / f"{part}.jsonl"
        if path.is_file():
            reports[part] = evaluate(read(path), nlp)
    return reports


def format_parts(reports: dict[str, dict]) -> str:
    """One line per field, one column per part: F1 (precision/recall) or the value, and the target."""
    parts = [p for p in PARTS if p in reports] + [p for p in reports if p not in PARTS]
    width = 20
    head = f"{'field':20}" + "".join(f"{p + ' (' + str(reports[p]['documents']) + ' docs)':>{width}}" for p in parts)
    lines = [head + "  target", "-" * len(head)]
    for name in F1_FIELDS:
        cells = []
        for part in parts:
            r = reports[part][name]
            cells.append(f"{r['f1']:.3f} ({r['precision']:.2f}/{r['recall']:.2f})".rjust(width))
        target = TARGETS.get(name)
        lines.append(f"{name:20}" + "".join(cells) + (f"  F1 >= {target}" if target else ""))
    for name in VALUE_FIELDS:
        cells = [f"{reports[p][name]['value']:.3f}".rjust(width) for p in parts]
        lines.append(f"{name:20}" + "".join(cells) + f"  >= {TARGETS[name]}")
    cells = [f"{reports[p]['confident_right']['value']:.3f} of {reports[p]['confident_right']['total']}".rjust(width)
             for p in parts]
    lines.append(f"{'confident (>=0.8)':20}" + "".join(cells) + "  >= 0.8 right")
    lines.append("")
    lines.append("F1 fields show F1 (precision/recall); gold actions: "
                 + ", ".join(f"{p} {reports[p]['action_type']['gold']}" for p in parts))
    return "\n".join(lines)
