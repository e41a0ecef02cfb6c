# The README's two commands:
#   cargo run -p pillar-cli -- scan     # scan the bundled demo account
#   make test                           # every check CI runs (runs `setup` first)
#
# The host workspace (engine/) and the rule-pack workspace (plugins/) are
# separate cargo workspaces; `make test` checks and tests both.

CARGO ?= cargo
PYTHON ?= python3
# The emulator the live-collection tests run against. Pinned: moto 5.2.x
# wraps GetBucketVersioning in a root element aws-sdk-rust refuses.
MOTO ?= moto[server]==5.1.22

.PHONY: test setup lint unit demo

test: setup lint unit

# Idempotent: the wasm target for the rule packs, and moto in .venv (the
# tests find .venv/bin/moto_server, or $$PILLAR_MOTO_SERVER).
setup:
	rustup target add wasm32-wasip2
	@if [ ! -x .venv/bin/moto_server ]; then \
		echo "setup: installing $(MOTO) into .venv"; \
		$(PYTHON) -m venv .venv && \
		.venv/bin/pip install --quiet '$(MOTO)'; \
	fi
	# The Python example rule pack (componentize-py in its own virtualenv),
	# which tests/e2e/examples.rs runs (about 30 s).
	bash plugins/examples/python-owner-tag/build.sh
	# The HTML report's browser test (tests/e2e/html.rs): Debian's chromium,
	# and playwright-core from the committed lock file. No browser download.
	@command -v chromium >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "setup: installing Debian's chromium"; \
			apt-get update && apt-get install -y --no-install-recommends chromium; \
		else \
			echo "setup: WARNING: cannot install chromium (needs root and apt-get);" \
			     "install Debian's chromium package or set PILLAR_CHROMIUM, or tests/e2e/html.rs fails" >&2; \
		fi; }
	# tmux, for the text report's real-terminal test (tests/e2e/hostile.rs).
	@command -v tmux >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "setup: installing tmux"; \
			apt-get update && apt-get install -y --no-install-recommends tmux; \
		else \
			echo "setup: WARNING: cannot install tmux (needs root and apt-get); tests/e2e/hostile.rs fails" >&2; \
		fi; }
	@if ! command -v npm >/dev/null 2>&1; then \
		echo "setup: WARNING: node >= 20 and npm are missing; tests/e2e/html.rs needs them" >&2; \
	elif [ ! tests/browser/node_modules/.package-lock.json -nt tests/browser/package-lock.json ]; then \
		echo "setup: npm ci in tests/browser"; \
		cd tests/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund; \
	fi
	# xmllint, to validate the JUnit XML report against its XSD (tests/e2e/formats.rs).
	@command -v xmllint >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "setup: installing libxml2-utils (xmllint)"; \
			apt-get update && apt-get install -y --no-install-recommends libxml2-utils; \
		else \
			echo "setup: WARNING: cannot install xmllint (needs root and apt-get); tests/e2e/formats.rs fails" >&2; \
		fi; }

lint:
	$(CARGO) fmt --all --check
	$(CARGO) fmt --all --check --manifest-path plugins/Cargo.toml
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings
	$(CARGO) clippy --manifest-path plugins/Cargo.toml --all-targets --locked -- -D warnings

unit:
	$(CARGO) test --workspace --locked
	$(CARGO) test --manifest-path plugins/Cargo.toml --locked

demo:
	$(CARGO) run -p pillar-cli -- scan
