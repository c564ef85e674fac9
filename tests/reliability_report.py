"""Write the figures of the last reliability run into RELIABILITY.md (between the markers)."""

from datetime import datetime, timezone

BEGIN, END = "<!-- reliability:begin -->", "<!-- reliability:end -->"
ROWS = [
    ("Load held", "load"), ("Publish while serving", "publish_while_serving"), ("Faults injected and survived", "faults"),
    ("Crash points during build", "crash_points"), ("Hostile SQL", "hostile_sql"), ("XSS payloads", "xss"),
    ("Search torture", "search_torture"), ("Hostile feeds", "hostile_feeds"), ("Date torture", "dates"),
    ("Property-based examples", "hypothesis"), ("Nothing lost", "nothing_lost"),
    ("Crawl worker killed (SIGKILL)", "killed_worker"), ("Hostile HTTP", "hostile_http"),
    ("Pause and resume (JOBDIR)", "jobdir"),
]


def write(figures: dict, path) -> None:
    lines = [BEGIN, "", f"Last full run: {datetime.now(timezone.utc).replace(microsecond=0).isoformat()}.", "",
             "| area | figures |", "| --- | --- |"]
    for label, key in ROWS:
        value = figures.get(key)
        if value is not None:
            cells = "; ".join(f"{k} {v}" for k, v in value.items()) if isinstance(value, dict) else str(value)
            lines.append(f"| {label} | {cells} |")
    lines += ["", END]
    text = path.read_text() if path.exists() else f"{BEGIN}\n{END}\n"
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    path.write_text(head + "\n".join(lines) + tail)
