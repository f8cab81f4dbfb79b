# squeezec: `make demo` and `make test` install what is missing and do the rest.
SWIFT     ?= swift
RELEASE   := .build/release
SQUEEZEC  := $(RELEASE)/squeezec
MODEL     ?= squeezenet1.1
BOARD     ?= mps2-an386
SAMPLE    := Samples/sample224.npy

.PHONY: all build deps deps-firmware test demo bench clean firmware run-qemu

all: build

deps:
	@scripts/install-deps.sh

deps-firmware:
	@scripts/install-deps.sh --firmware

build: deps
	$(SWIFT) build -c release --product squeezec

# Unit, golden and end-to-end tests (host and QEMU). The CLI tests drive the release binary.
test: deps-firmware build
	SQUEEZEC_BIN=$(abspath $(SQUEEZEC)) $(SWIFT) test

# The main job: compile SqueezeNet, build firmware for the default board, run it
# under QEMU against the Swift reference; print top-5, RAM, flash, instructions.
demo: deps-firmware build
	@echo "== squeezec analyze $(MODEL) (summary)"
	@$(SQUEEZEC) analyze $(MODEL) | sed -n '/^parameters/,/^chosen:/p'
	@echo
	@echo "== squeezec validate $(MODEL) --target $(BOARD) --input $(SAMPLE)"
	@$(SQUEEZEC) validate $(MODEL) --target $(BOARD) --input $(SAMPLE)
	@echo
	@echo "== squeezec validate $(MODEL) --precision int8 --calibrate Samples --target $(BOARD) --input $(SAMPLE)"
	@$(SQUEEZEC) validate $(MODEL) --precision int8 --calibrate Samples --target $(BOARD) --input $(SAMPLE)

# Firmware image only: build/firmware-$(BOARD)/firmware.elf.
firmware: deps-firmware build
	@mkdir -p build
	$(SQUEEZEC) firmware $(MODEL) --board $(BOARD) -o build/firmware-$(BOARD)

# Build, run under QEMU and compare with the reference on the sample image.
run-qemu: deps-firmware build
	$(SQUEEZEC) validate $(MODEL) --target $(BOARD) --input $(SAMPLE)

bench: deps-firmware build
	scripts/bench.sh $(SQUEEZEC) > bench/results.md
	@cat bench/results.md

clean:
	rm -rf .build
