# Atelier. A newcomer needs two commands: `make run` and `make test`.
# Everything else is fetched on demand: Go modules from the module proxy,
# ECharts and axe-core from the npm registry, chromium from Debian.

GO        ?= go
VERSION   ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -s -w -X main.version=$(VERSION)
FUZZTIME  ?= 30s
BENCHTIME ?= 1s
STATICCHECK_VERSION := v0.8.2
# Root installs packages directly; anyone else through sudo.
SUDO      := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test build assets bench bench-load lint fuzz chromium clean

## run: build and start the dashboard with a synthetic demo project
run: build
	./bin/atelier serve -demo

## build: a static binary in bin/
build: assets
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o bin/atelier ./cmd/atelier
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o bin/atelier-load ./cmd/atelier-load
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o bin/atelier-barehub ./cmd/atelier-barehub

## assets: front-end libraries from the npm registry, pinned by package-lock.json
assets: assets/static/lib/echarts.min.js

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

assets/static/lib/echarts.min.js: node_modules/.installed
	cp node_modules/echarts/dist/echarts.min.js $@

## chromium: Debian's chromium for the browser tests, installed when missing
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "installing Debian's chromium for the browser tests"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends chromium >/dev/null; }

## test: formatting, vet, staticcheck, and every test (browser tests included) with the race detector
test: assets chromium lint
	$(GO) test -race -count=1 -timeout=30m ./...

## bench: benchmarks; results go into docs/benchmarks.md by hand, with the machine
bench: assets
	$(GO) test -run='^$$' -bench=. -benchmem -benchtime=$(BENCHTIME) ./...

## bench-load: the live-session yardsticks, atelier beside the bare hub (about 20 minutes; ONLY=tenant for the tenant-scale case alone)
bench-load: build
	ulimit -n "$$(ulimit -Hn)" 2>/dev/null; scripts/bench-load.sh

## lint: gofmt, vet and staticcheck
lint:
	@unformatted="$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './node_modules/*'))"; \
		if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...

## fuzz: run every fuzz target for FUZZTIME each
fuzz: assets
	@for pkg in $$($(GO) list ./...); do \
		for target in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
			echo "fuzz $$pkg $$target"; \
			$(GO) test -run='^$$' -fuzz="^$$target$$" -fuzztime=$(FUZZTIME) $$pkg || exit 1; \
		done; \
	done

clean:
	rm -rf bin node_modules assets/static/lib/*.js screenshots
