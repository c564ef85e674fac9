# policy-tracker: make demo (crawl recordings -> extract -> build -> serve) and make test.
# Every target installs what it needs; steps rerun only when their inputs change.
# TOPIC=<name> (a folder of topics/, or a path to a topic directory) picks the topic; each topic
# builds into build/<name>/ and data/<name>/, so topics never mix.

PY        ?= python3
VENV      ?= .venv
BIN       := $(VENV)/bin
PORT      ?= 8001
HOST      ?= 127.0.0.1
WORKERS   ?= 2
STAMP     := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
TOPIC     ?= cameras
export TOPIC
TOPIC_DIR := $(if $(findstring /,$(TOPIC)),$(TOPIC),topics/$(TOPIC))
OUT       := build/$(notdir $(TOPIC))
DATA      := data/$(notdir $(TOPIC))
DB        := $(DATA)/tracker.db
SOURCES   := $(shell sed -n 's/^\([a-z0-9_]*\):.*/\1/p' $(TOPIC_DIR)/sources.yml 2>/dev/null)
CRAWL_IN  := $(shell find crawlers $(TOPIC_DIR)/sources.yml $(TOPIC_DIR)/recordings -type f -not -path '*/__pycache__/*' 2>/dev/null)
NLP_IN    := $(shell find nlp $(TOPIC_DIR)/vocab.yml $(TOPIC_DIR)/patterns $(wildcard $(TOPIC_DIR)/confidence.json) -type f -not -path '*/__pycache__/*' 2>/dev/null)
DB_IN     := $(shell find db -type f -name '*.py' 2>/dev/null)
# the trained scorer of action types (nlp/learned.py): built from the train part, a few seconds, not committed
TYPES     := $(OUT)/types-model/settings.json
TYPES_IN  := $(NLP_IN) $(wildcard $(TOPIC_DIR)/learned.json $(TOPIC_DIR)/eval/train.jsonl)

.DEFAULT_GOAL := help
# a recipe that fails leaves no target behind (a partial extracted.jsonl would look up to date)
.DELETE_ON_ERROR:
.PHONY: help install demo build crawl extract db serve test test-fast test-busy reliability-docs browser-deps eval \
	calibrate bench bench-quick bench-docs load clean new-spider types-model

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 16

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP) ## Create .venv and install the project with its test extras

$(OUT)/crawl/.done: $(STAMP) $(CRAWL_IN)
	rm -rf $(OUT)/crawl
	SCRAPY_SETTINGS_MODULE=crawlers.settings.replay $(BIN)/python -m scrapy check -s RAW_ARCHIVE_DIR=$(DATA)/raw
	$(BIN)/python -m crawlers crawl --out $(OUT)/crawl --archive $(DATA)/raw --state $(DATA)/crawl-state.json
	touch $@

$(OUT)/documents.jsonl: $(OUT)/crawl/.done
	cat $(foreach s,$(SOURCES),$(OUT)/crawl/$(s).jsonl) > $@

$(TYPES): $(STAMP) $(TYPES_IN)
	$(BIN)/python -m nlp train-types -o $(OUT)/types-model

$(OUT)/extracted.jsonl: $(OUT)/documents.jsonl $(NLP_IN) $(TYPES)
	$(BIN)/python -m nlp extract $< -o $@

$(DB): $(OUT)/extracted.jsonl $(DB_IN) crawlers/sources.yml
	$(BIN)/python -m db build --crawl $(OUT)/crawl --extracted $(OUT)/extracted.jsonl --out $@

types-model: $(TYPES) ## Train the scorer of action types on the train part (build/<topic>/types-model; fixed seed)
crawl: $(OUT)/crawl/.done ## Replay the topic's recordings through the spiders
extract: $(OUT)/extracted.jsonl ## Extract vendors, organisations, people and actions
db: $(DB) ## Build and atomically publish data/<topic>/tracker.db
build: $(DB) ## crawl + extract + db, without serving

# immutable: a build publishes a new file (os.replace), never writes the served one; restart to serve a new build
serve: $(DB) ## Serve data/<topic>/tracker.db (immutable) with Datasette on $(HOST):$(PORT), $(WORKERS) processes
	@echo "Timeline: http://$(HOST):$(PORT)/timeline"
	$(BIN)/python -m db serve --immutable --db $(DB) --host $(HOST) --port $(PORT) --workers $(WORKERS)

demo: build serve ## The main job: build everything from the recordings and serve it

browser-deps: ## Debian's chromium (and redis-server) for the browser and scale-out tests
	@command -v chromium >/dev/null && command -v redis-server >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium redis-server >/dev/null; }

test: $(STAMP) $(TYPES) browser-deps ## Install what the tests need, run the whole suite, then the timing tests busy
	$(BIN)/python -m pytest -p no:cacheprovider
	$(MAKE) --no-print-directory test-busy

test-busy: $(STAMP) $(TYPES) browser-deps ## The timing-sensitive tests again, beside two CPU-bound processes
	RELIABILITY_FIGURES=tests/artifacts/reliability-busy.json \
	  $(BIN)/python -m tests.busy --burners 2 -- $(BIN)/python -m pytest -p no:cacheprovider -m timing

reliability-docs: ## Copy the last green `make test` figures (tests/artifacts/) into RELIABILITY.md
	$(BIN)/python -m tests.reliability_report

test-fast: $(STAMP) $(TYPES) ## The suite without browser, reliability and scale-out tests
	$(BIN)/python -m pytest -p no:cacheprovider -m "not browser and not reliability and not redis"

eval: $(STAMP) $(TYPES) ## Extractor precision/recall/F1 on the train, dev and test parts; B-cubed of event resolution
	$(BIN)/python -m nlp eval --test
	$(BIN)/python -m nlp eval-events $(wildcard $(addprefix $(TOPIC_DIR)/eval/,recordings-events.jsonl train.jsonl dev.jsonl test.jsonl))

calibrate: $(STAMP) $(TYPES) ## Refit the confidence model on the train part (topics/<topic>/confidence.json)
	$(BIN)/python -m nlp calibrate

bench: $(STAMP) $(TYPES) ## Full benchmarks (10k/100k/1M documents; tens of minutes) into bench/results.json
	$(BIN)/python -m bench --sizes 10000,100000,1000000

bench-quick: $(STAMP) $(TYPES) ## Small benchmarks (a few minutes; what CI runs) into bench/results.json
	$(BIN)/python -m bench --sizes 2000,10000 --quick

bench-docs: $(STAMP) ## Put the figures of bench/results.json into BENCHMARKS.md (the only step that edits it)
	$(BIN)/python -m bench.report

load: $(DB) ## 60 s of 50 clients on the real site; figures into RELIABILITY.md
	$(BIN)/python -m bench.load --seconds 60 --clients 50 --db $(DB) --report RELIABILITY.md

clean: ## Remove build output (keeps data/ and .venv)
	rm -rf build
