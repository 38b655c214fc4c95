# The README's two commands: `make site` and `make test`. Each installs what is missing first:
# `make site` only what building monarch and a site (with its pamphlets) needs, `make test`
# also the tools the tests read the output with. docs/testing.md says what the suite checks.
SWIFT ?= swift
PREFIX ?= /usr/local

.PHONY: deps site-deps release site test release-test browser-test check install dist bench bench-quick clean fuzz fuzz-build fuzz-smoke bounded-resources

deps:
	@scripts/install-deps.sh test

site-deps:
	@scripts/install-deps.sh site

# The Swift runtime and Foundation linked in, so that the binary runs on a Debian machine
# without a Swift toolchain (the C libraries stay Debian's: dist lists their packages).
release: site-deps
	$(SWIFT) build -c release --product monarch --static-swift-stdlib

# The binary and its manual page (made from its --help texts).
install: release
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 -s .build/release/monarch $(DESTDIR)$(PREFIX)/bin/monarch
	scripts/manpage.sh .build/release/monarch > .build/release/monarch.1
	install -m 644 .build/release/monarch.1 $(DESTDIR)$(PREFIX)/share/man/man1/monarch.1

# .build/dist/monarch-linux-<arch>.tar.gz: the binary, its manual page, the licences of what
# is linked into it and debian-packages.txt, the Debian packages it needs at run time.
dist: release
	scripts/dist.sh .build/release/monarch .build/dist

# Builds the repository's own example site into public/.
site: release
	.build/release/monarch build --site . --output public

# The day the tests take as today, so that the example site's `checked:` dates on its
# hotlines (a warning six months on) do not turn the suite red on a later day; the tests of
# that warning set their own dates.
export MONARCH_TODAY ?= 2026-12-06

# The whole test suite (Swift Testing), on a debug build, then the browser suite. The release
# binary and the dist tarball are made first: ReleaseBinaryTests copy them out of the checkout.
test: deps
	$(SWIFT) build --product monarch
	$(MAKE) --no-print-directory dist
	$(SWIFT) test
	$(BROWSER_TESTS)

# Only the tests of the release binary and the tarball (issue #21).
release-test: dist
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --filter 'ReleaseBinaryTests|PublishWorkflowTests|StarterSiteTests'

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

