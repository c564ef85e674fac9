"""UK Parliament written questions and their answers.

Search by each configured term, page with skip/take, then fetch every
question by id for the whole text (the list truncates question and answer).
A holding or corrected answer is the same document with new content: the
database keeps each content as a version.
"""

from __future__ import annotations

from ..html import to_text
from .base import PolicySpider, parses_json
from .parliament import SkipTakePaging, member, public_search_url, public_url

PATH = "/api/writtenquestions/questions"


class UkWrittenQuestionsSpider(SkipTakePaging, PolicySpider):
    name = "uk_written_questions"

    def start_requests(self):
        for search in self.searches():
            params = {"expandMember": "true", "skip": 0, **search}
            yield self.api_request(PATH, params, callback=self.parse, cb_kwargs={"params": params})

    @parses_json
    def parse(self, response, page, params):
        """A list page: each question's detail is asked for (the list cuts the text), the next page.

        @url https://questions-statements-api.parliament.uk/api/writtenquestions/questions?tabledWhenFrom=2024-01-05&tabledWhenTo=2024-01-05&take=20
        @cb_kwargs {"params": {"tabledWhenFrom": "2024-01-05", "tabledWhenTo": "2024-01-05", "take": 20, "skip": 0}}
        @returns items 0 0
        @returns requests 5 5
        """
        yield from self.each_record(response, page.get("results"), lambda r: self._detail_request(r["value"], response))
        following = self.next_page(response, page, params, PATH, self.parse)
        if following:
            yield following

    def _detail_request(self, value: dict, response):
        summary = self._document(value, response, truncated=True)  # kept if the detail cannot be had
        return self.api_request(f"{PATH}/{int(value['id'])}", {"expandMember": "true"},
                                callback=self.parse_question, meta={"fallback": summary})

    @parses_json
    def parse_question(self, response, record):
        """One question with its whole answer.

        @url https://questions-statements-api.parliament.uk/api/writtenquestions/questions/1679416
        @returns items 1 1
        @scrapes id title text html department published url
        """
        yield from self.each_record(response, [record.get("value", record)],
                                    lambda v: self._document(v, response))

    def _document(self, q: dict, response, truncated: bool = False):
        question = (q.get("questionText") or "").strip()
        answer_html = q.get("answerText") or ""
        answer = to_text(answer_html)
        people = [p for p in (member(q.get("askingMember"), "asking"),
                              member(q.get("answeringMember"), "answering"),
                              member(q.get("correctingMember"), "correcting")) if p]
        answered = q.get("dateAnswered")
        return self.document(
            q["id"], response=response,
            url=public_url("written-questions", q.get("dateTabled"), q.get("uin"))
            or public_search_url("written-questions", q.get("heading") or question, answered, q.get("house")),
            title=q.get("heading") or _title_from(question, q.get("uin")),
            text="\n\n".join(part for part in (question, answer) if part),
            html=f"<p>{_escape(question)}</p>{answer_html}" if answer_html else None,
            published=self.date(answered or q.get("dateTabled"), "dateAnswered", response.url),
            published_raw=answered or q.get("dateTabled"),
            department=q.get("answeringBodyName"),
            organisations=[q["answeringBodyName"]] if q.get("answeringBodyName") else [],
            people=people,
            extra={
                "uin": q.get("uin"), "house": q.get("house"), "date_tabled": q.get("dateTabled"),
                "status": _status(q), "answer_is_holding": bool(q.get("answerIsHolding")),
                "answer_is_correction": bool(q.get("answerIsCorrection")),
                "date_answer_corrected": q.get("dateAnswerCorrected"),
                "grouped_questions": q.get("groupedQuestions") or [],
                "attachments": q.get("attachments") or [], "truncated": truncated,
                "question_text": question,
            },
        )


def _status(q: dict) -> str:
    if q.get("isWithdrawn"):
        return "withdrawn"
    if q.get("answerIsHolding"):
        return "holding"
    if q.get("answerIsCorrection") or q.get("dateAnswerCorrected"):
        return "corrected"
    return "answered" if q.get("dateAnswered") else "unanswered"


def _title_from(question: str, uin) -> str:
    words = question.split()
    return " ".join(words[:14]) + ("…" if len(words) > 14 else "") if words else f"Written question {uin}"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
