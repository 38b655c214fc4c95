# The README's two commands: `make site` and `make test`. Each installs what is missing first.
# docs/testing.md says what the suite checks.
SWIFT ?= swift

.PHONY: deps release site test browser-test check bench bench-quick clean fuzz fuzz-build fuzz-smoke bounded-resources

deps:
	@scripts/install-deps.sh

release: deps
	$(SWIFT) build -c release --product monarch

# Builds the repository's own example site into public/.
site: release
	.build/release/monarch build --site . --output public

# The day the tests take as today, so that the example site's `checked:` dates on its
# hotlines (a warning six months on) do not turn the suite red on a later day; the tests of
# that warning set their own dates.
export MONARCH_TODAY ?= 2026-12-06

# The whole test suite (Swift Testing), on a debug build, then the browser suite.
test: deps
	$(SWIFT) build --product monarch
	$(SWIFT) test
	$(BROWSER_TESTS)

# Tests/Browser: the example site built with the debug binary, served on 127.0.0.1 and driven
# in Debian's Chromium (selenium, axe-core, the Nu HTML Checker). Ends with pytest's
# "N passed, N failed" line.
BROWSER_TESTS = MONARCH=.build/debug/monarch .build/browser-venv/bin/python -m pytest -q -p no:cacheprovider Tests/Browser

browser-test: deps
	$(SWIFT) build --product monarch
	$(BROWSER_TESTS)

# Monarch against Hugo on ../shared/bench's corpus (issue #7): 5 x 200, 1000, 4000 pages.
# Results, with their dates, go in docs/performance.md.
bench: release
	@command -v hugo >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hugo >/dev/null)
	python3 bench/bench.py --sizes 200,1000,4000 --runs 5

# The same comparison on the small corpus only, for a look before a commit.
bench-quick: release
	@command -v hugo >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hugo >/dev/null)
	python3 bench/bench.py --sizes 200 --runs 3

check: release
	.build/release/monarch check --site .

clean:
	rm -rf .build public

# libFuzzer targets (issue #6): front matter + Markdown, interface strings, site.yaml, pamphlets.
# Built only here (MONARCH_FUZZ=1 adds them to Package.swift) with the sanitizers, into
# .build/fuzz; run one at a time (cores are scarce), FUZZ_SECONDS each.
FUZZ_SECONDS ?= 600
FUZZ_TARGETS = markdown translations siteconfig pamphlet
fuzz-build: deps
	for t in $(FUZZ_TARGETS); do MONARCH_FUZZ=1 $(SWIFT) build -c debug --build-path .build/fuzz \
		-Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library --product fuzz-$$t || exit 1; done

fuzz: fuzz-build
	python3 scripts/fuzz.py --seconds $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# The CI smoke: 20 s per target. Not part of `make test`: the sanitizer build alone takes
# several minutes on two cores. Saved crashes are replayed in `make test` (FuzzRegressionTests).
fuzz-smoke: fuzz-build
	python3 scripts/fuzz.py --seconds 20 $(FUZZ_TARGETS)

# Issue #6, point 5 at full size: a 50 MB page, nesting 10,000 deep, a 1 MB line, 100,000
# pages; wall time and peak memory of each, with the release binary. Minutes; not in `make test`.
bounded-resources: release
	python3 scripts/bounded-resources.py

