"""Log dropped items by id and reason, not by their whole repr (bodies are long)."""

from scrapy import logformatter


class PolicyLogFormatter(logformatter.LogFormatter):
    def dropped(self, item, exception, response, spider=None):
        entry = super().dropped(item, exception, response, spider)
        entry["msg"] = "Dropped %(id)s: %(exception)s"
        entry["args"] = {"id": getattr(item, "id", type(item).__name__), "exception": exception}
        return entry
