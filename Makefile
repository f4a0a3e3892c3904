# `sam build` builds RemediatorFunction with this file (template.yaml: Metadata BuildMethod makefile).
#
# Why not SAM's own esbuild builder (BuildMethod esbuild): it writes exactly one file per entry point,
# so it would bundle the lazily required parts back into handler.js. Our build writes handler.js and,
# beside it, parts/<name>.js (the code only some invocations need), each with its source map; a cold
# start then neither reads nor compiles the parts.
#
# The target runs scripts/lambda-build.mjs, the same build as `npm run build` (which writes into
# dist/, what the tests and the benchmark run), so what is tested is what deploys.
#
# SAM runs `make --makefile <this file> build-<LogicalId>` in a copy of the CodeUri folder (the
# project root), with ARTIFACTS_DIR set to the folder whose files become the function's code.
# By hand: make build-RemediatorFunction ARTIFACTS_DIR=/some/empty/folder

# Installs the build's dependencies (esbuild and the bundled packages) from package-lock.json.
# Overridable: the tests run the target with NPM_CI=true over the node_modules they already have.
NPM_CI ?= npm ci --no-audit --no-fund

.PHONY: build-RemediatorFunction

build-RemediatorFunction:
	@test -n "$(ARTIFACTS_DIR)" || { echo "ARTIFACTS_DIR is empty: sam build sets it; by hand, make $@ ARTIFACTS_DIR=<folder>" >&2; exit 2; }
	$(NPM_CI)
	node scripts/lambda-build.mjs "$(ARTIFACTS_DIR)"
