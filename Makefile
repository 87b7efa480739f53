# hebbsim — the targets the README names.
SHELL := /bin/bash
GO    ?= go
BIN   := bin
# Tests that open a window need an X display: run them all under Xvfb.
XVFB  := xvfb-run -a -s "-screen 0 1600x1000x24"

.PHONY: setup build run test vet fmt-check bench lint fps clean web serve

setup:
	@scripts/setup.sh

## build: bin/hebbsim (the launcher: checks flags and the display), bin/hebbsim-app (the window), bin/hebb
build: setup
	$(GO) build -o $(BIN)/ ./cmd/...

## run: open the simulator with the bundled evolved rules
run: build
	$(BIN)/hebbsim $(ARGS)

## test: formatting, vet, every test (window tests under Xvfb)
test: setup fmt-check vet
	$(XVFB) $(GO) test -count=1 ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [[ -n "$$out" ]]; then echo "gofmt -l reports unformatted files:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./game/ ./cmd/hebbsim-app

## bench: benchmarks of the brain, the environments and the trainer
bench: setup
	$(GO) test -run '^$$' -bench . -benchmem ./brain/... ./physics/... ./sim/...

## lint: vet plus staticcheck-free checks that need no network
lint: fmt-check vet

## fps: frame rate of the app under Xvfb (last line: fps_median=NN), at
## 1280×720 with heatmaps and plots, ignoring remembered settings
fps: build
	cfg=$$(mktemp -d) && HEBBSIM_CONFIG_DIR=$$cfg $(XVFB) ./$(BIN)/hebbsim --fps-test 15s --width 1280 --height 720 --scene quadruped --speed 3; rc=$$?; rm -rf $$cfg; exit $$rc

## web: the browser build, a static site in bin/web/ (index.html, hebbsim.wasm, Go's wasm_exec.js)
web:
	@mkdir -p $(BIN)/web
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags="-s -w" -o $(BIN)/web/hebbsim.wasm ./cmd/hebbsim-app
	cp web/index.html "$$($(GO) env GOROOT)/lib/wasm/wasm_exec.js" $(BIN)/web/
	@echo "web: $(BIN)/web/ ($$(du -h $(BIN)/web/hebbsim.wasm | cut -f1) wasm); make serve serves it"

## serve: serve bin/web/ on localhost (ADDR=127.0.0.1:8080) and print the address
ADDR ?= 127.0.0.1:8080
serve: web
	$(GO) run ./cmd/webserve --dir $(BIN)/web --addr $(ADDR)

clean:
	rm -rf $(BIN)
