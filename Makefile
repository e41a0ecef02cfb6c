# The README's two commands:
#   cargo run -p pillar-cli -- scan     # scan the bundled demo account
#   make test                           # every check CI runs
#
# The host workspace (engine/) and the rule-pack workspace (plugins/) are
# separate cargo workspaces; `make test` checks and tests both.

CARGO ?= cargo

.PHONY: test lint unit demo

test: lint unit

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
