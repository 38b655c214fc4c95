# The README's two commands: `make site` and `make test`. Each installs what is missing first.
SWIFT ?= swift

.PHONY: deps release site test browser-test check bench bench-quick clean

deps:
	@scripts/install-deps.sh

release: deps
	$(SWIFT) build -c release --product monarch

# Builds the repository's own example site into public/.
site: release
	.build/release/monarch build --site . --output public

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
