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
