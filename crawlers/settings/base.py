"""Settings both modes share: politeness, limits, pipelines, our retry policy."""

BOT_NAME = "policy-tracker"
SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"

USER_AGENT = "policy-tracker/0.1 (+https://github.com/policy-tracker/policy-tracker; research crawler)"
ROBOTSTXT_OBEY = True
DOWNLOAD_VERIFY_CERTIFICATES = True  # Scrapy >= 2.14; verify TLS for government sources

# 1-2 requests at a time per host, AutoThrottle on top.
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_MAX_HEADER_BYTES = 256 * 1024  # status line and headers of one response (crawlers/download.py)
DOWNLOAD_HANDLERS = {
    "http": "crawlers.download.BoundedHTTP11DownloadHandler",
    "https": "crawlers.download.BoundedHTTP11DownloadHandler",
}
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
REDIRECT_MAX_TIMES = 5

RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
RETRY_AFTER_TIMES = 5
RETRY_AFTER_MAX = 300.0
RETRY_BACKOFF_BASE = 1.0
RETRY_BACKOFF_MAX = 30.0
BAD_BODY_RETRIES = 2  # a 200 whose JSON or XML is cut off is asked again this often

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawlers.middlewares.PoliteRetryMiddleware": 550,
    "crawlers.middlewares.RedirectGuardMiddleware": 650,  # sees a 3xx before RedirectMiddleware (600)
}
ITEM_PIPELINES = {
    "crawlers.pipelines.ValidateDocument": 100,
    "crawlers.pipelines.MendText": 150,
    "crawlers.pipelines.SanitiseHtml": 200,
    "crawlers.pipelines.StampDocument": 300,
    "crawlers.pipelines.DropDuplicates": 400,
    "crawlers.pipelines.ExportJsonLines": 900,
}
EXTENSIONS = {"crawlers.runs.CrawlRecorder": 500}

CRAWL_OUTPUT_DIR = "build/crawl"
CRAWL_MODE = "live"  # what the run record says it read: replay.py says "recordings"
RAW_ARCHIVE_DIR = "data/raw"
VALIDATION_STRICT = False  # tests and CI set it: an invalid document fails the run

# Incremental crawls: where the last successful run per source is kept.
CRAWL_STATE_FILE = "data/crawl-state.json"
INCREMENTAL = False

TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # Scrapy 2.19 opens an HTTP control port by default
LOG_LEVEL = "INFO"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
LOG_FORMATTER = "crawlers.logformat.PolicyLogFormatter"
