# squeezec: `make demo` and `make test` install what is missing and do the rest.
SWIFT     ?= swift
RELEASE   := .build/release
SQUEEZEC  := $(RELEASE)/squeezec
MODEL     ?= squeezenet1.1
SAMPLE    := Samples/sample224.npy

.PHONY: all build deps deps-firmware test demo bench clean templates

all: build

deps:
	@scripts/install-deps.sh

deps-firmware:
	@scripts/install-deps.sh --firmware

build: deps
	$(SWIFT) build -c release --product squeezec

# Unit, golden and end-to-end tests. The CLI tests drive the release binary.
test: build
	SQUEEZEC_BIN=$(abspath $(SQUEEZEC)) $(SWIFT) test

demo: build
	@echo "== squeezec analyze $(MODEL)"
	@$(SQUEEZEC) analyze $(MODEL)
	@echo
	@echo "== squeezec run $(MODEL) --input $(SAMPLE)"
	@$(SQUEEZEC) run $(MODEL) --input $(SAMPLE) --output $(RELEASE)/demo-output.npy

bench: build
	scripts/bench.sh $(SQUEEZEC) > bench/results.md
	@cat bench/results.md

clean:
	rm -rf .build

# Re-embed Templates/ into the squeezec binary after editing a template.
templates:
	SQUEEZEC_RECORD=1 $(SWIFT) test --filter EmbeddedTemplatesTests
