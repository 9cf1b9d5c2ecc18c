# PMAP Companion — the two commands a newcomer needs:
#   make demo   runs the app against the embedded simulator (no account needed)
#   make test   installs what is missing, then runs every check and test
#   make package       builds the .deb and .rpm (docs/packaging.md)
#   make package-test  installs the .deb in a clean Debian 12 root (as root)
.PHONY: demo test lint build bench setup package package-test

demo:
	@bash scripts/demo.sh

test:
	@bash scripts/test.sh

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo machete

build:
	cargo build --workspace --all-targets

bench:
	@bash bench/run.sh

setup:
	@bash scripts/setup.sh

package:
	@bash scripts/package.sh

package-test: package
	@bash scripts/package-test.sh
