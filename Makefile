# policy-tracker: make demo (crawl recordings -> extract -> build -> serve) and make test.
# Every target installs what it needs; steps rerun only when their inputs change.

PY        ?= python3
VENV      ?= .venv
BIN       := $(VENV)/bin
PORT      ?= 8001
HOST      ?= 127.0.0.1
STAMP     := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
SOURCES   := uk_written_questions uk_written_statements uk_hansard govuk us_federal_register news_feeds
CRAWL_IN  := $(shell find crawlers -type f -not -path '*/__pycache__/*' 2>/dev/null)
NLP_IN    := $(shell find nlp -type f -not -path '*/__pycache__/*' 2>/dev/null)
DB_IN     := $(shell find db -type f -name '*.py' 2>/dev/null)

.DEFAULT_GOAL := help
.PHONY: help install demo build crawl extract db serve test test-fast browser-deps eval bench bench-quick load clean new-spider

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 16

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP) ## Create .venv and install the project with its test extras

build/crawl/.done: $(STAMP) $(CRAWL_IN)
	rm -rf build/crawl
	$(BIN)/python -m crawlers crawl --out build/crawl --archive data/raw
	touch $@

build/documents.jsonl: build/crawl/.done
	cat $(foreach s,$(SOURCES),build/crawl/$(s).jsonl) > $@

build/extracted.jsonl: build/documents.jsonl $(NLP_IN)
	$(BIN)/python -m nlp extract $< -o $@

data/tracker.db: build/extracted.jsonl $(DB_IN) crawlers/sources.yml
	$(BIN)/python -m db build --crawl build/crawl --extracted build/extracted.jsonl --out $@

crawl: build/crawl/.done ## Replay the bundled recordings through the spiders
extract: build/extracted.jsonl ## Extract vendors, organisations, people and actions
db: data/tracker.db ## Build and atomically publish data/tracker.db
build: data/tracker.db ## crawl + extract + db, without serving

serve: data/tracker.db ## Serve data/tracker.db with Datasette on $(HOST):$(PORT)
	@echo "Timeline: http://$(HOST):$(PORT)/timeline"
	$(BIN)/python -m db serve --db data/tracker.db --host $(HOST) --port $(PORT)

demo: build serve ## The main job: build everything from the recordings and serve it

browser-deps: ## Debian's chromium (and redis-server) for the browser and scale-out tests
	@command -v chromium >/dev/null && command -v redis-server >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium redis-server >/dev/null; }

test: $(STAMP) browser-deps ## Install what the tests need and run the whole suite
	$(BIN)/python -m pytest -p no:cacheprovider

test-fast: $(STAMP) ## The suite without browser, reliability and scale-out tests
	$(BIN)/python -m pytest -p no:cacheprovider -m "not browser and not reliability and not redis"

eval: $(STAMP) ## Precision, recall and F1 of the extractor on the dev set
	$(BIN)/python -m nlp eval tests/nlp/dev.jsonl

bench: $(STAMP) ## Full benchmarks (10k/100k/1M documents; tens of minutes)
	$(BIN)/python -m bench --sizes 10000,100000,1000000

bench-quick: $(STAMP) ## Small benchmarks (under 2 minutes)
	$(BIN)/python -m bench --sizes 2000,10000 --quick

load: data/tracker.db ## 60 s of 50 clients on the real site; figures into RELIABILITY.md
	$(BIN)/python -m bench.load --seconds 60 --clients 50 --report RELIABILITY.md

clean: ## Remove build output (keeps data/ and .venv)
	rm -rf build
