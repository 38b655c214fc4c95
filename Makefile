# The README's two commands: `make site` and `make test`. Each installs what is missing first.
SWIFT ?= swift

.PHONY: deps release site test check clean

deps:
	@scripts/install-deps.sh

release: deps
	$(SWIFT) build -c release --product monarch

# Builds the repository's own example site into public/.
site: release
	.build/release/monarch build --site . --output public

# The whole test suite (Swift Testing), on a debug build.
test: deps
	$(SWIFT) build --product monarch
	$(SWIFT) test

check: release
	.build/release/monarch check --site .

clean:
	rm -rf .build public
