# Mirrors .ci/run so a person runs what CI runs.
.PHONY: ci test demo fmt
ci:
	bash .ci/run
test:
	scripts/test
demo:
	cargo run --release -- demo
fmt:
	cargo fmt --all
