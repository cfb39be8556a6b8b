# Mirrors .ci/run so a person runs what CI runs.
.PHONY: ci test demo fmt
ci:
	bash .ci/run
test:
	cargo test --workspace
demo:
	cargo run --release -- demo
fmt:
	cargo fmt --all
