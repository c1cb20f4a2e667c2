#!/usr/bin/env bash
# npm run examples: every example app under examples/, tested and synthesized against the PACKED
# library, so what is tested is what users install.
#
#   scripts/examples.sh [--tarball FILE] [example...]
#
# 1. `npm pack` the library into a temporary folder (prepack builds it), or take --tarball (CI packs
#    once for this and the consumer check), and copy it to dist/serverless-api-constructs.tgz, the
#    path every example's package.json names.
# 2. Install each example's own node_modules: the first example with `npm install` (pinned
#    versions, npm's cache first, offline except the npm registry; the library is reinstalled from
#    the tarball every run, everything else is reused), every further example with the same
#    dependencies as a hard-linked copy of it (a second, third install would add nothing but time).
# 3. In each example: its own jest (its snapshot tests, built with serverless-api-constructs/testing)
#    and `cdk synth '**'` into its own cdk.out, with only its own node_modules on PATH.
#
# Exits non-zero on the first failure. Runs every example when none is named.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
tarball=""
if [[ "${1:-}" == "--tarball" ]]; then
  [[ -f "${2:-}" ]] || { echo "examples: --tarball needs an existing file (received '${2:-}')" >&2; exit 2; }
  tarball="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"
  shift 2
fi

cd "$repo"
if [[ $# -gt 0 ]]; then
  examples=("$@")
else
  examples=()
  for manifest in examples/*/package.json; do examples+=("$(dirname "$manifest")"); done
fi
[[ ${#examples[@]} -gt 0 ]] || { echo "examples: no example under examples/" >&2; exit 1; }

started=$SECONDS
if [[ -z "$tarball" ]]; then
  work="$(mktemp -d "${TMPDIR:-/tmp}/examples-pack.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  echo "examples: npm pack (builds the library)"
  npm pack --silent --pack-destination "$work" >/dev/null
  tarball="$(ls "$work"/serverless-api-constructs-*.tgz)"
fi
mkdir -p dist
cp "$tarball" dist/serverless-api-constructs.tgz
tarball="$repo/dist/serverless-api-constructs.tgz"

# Only the example's own tools: nothing (esbuild, jest, cdk) may come from the repository's node_modules.
clean_path="$(printf '%s' "$PATH" | tr ':' '\n' | grep -v 'node_modules/\.bin' | paste -sd: -)"

# The dependencies an example installs, as one comparable line.
dependencies_of() {
  node -e 'const p = require(process.argv[1]); console.log(JSON.stringify([p.dependencies, p.devDependencies]))' "$repo/$1/package.json"
}

leader="" leader_dependencies=""
for example in "${examples[@]}"; do
  example="${example%/}"
  [[ -f "$example/package.json" ]] || { echo "examples: $example has no package.json" >&2; exit 1; }
  t=$SECONDS
  dependencies="$(dependencies_of "$example")"
  if [[ -n "$leader" && "$dependencies" == "$leader_dependencies" ]]; then
    rm -rf "$example/node_modules"
    cp -al "$leader/node_modules" "$example/node_modules"
    how="linked from $leader"
  else
    # The library comes from the tarball of this run; npm's own records of the last one are dropped.
    rm -rf "$example/node_modules/serverless-api-constructs" "$example/package-lock.json"
    (cd "$example" && env PATH="$clean_path" npm install --no-audit --no-fund --no-package-lock --prefer-offline --loglevel=error >/dev/null)
    leader="$example" leader_dependencies="$dependencies"
    how="npm install"
  fi
  # What is installed is this run's tarball, byte for byte.
  tar -xzOf "$tarball" package/dist/index.js | cmp -s - "$example/node_modules/serverless-api-constructs/dist/index.js" \
    || { echo "examples: $example/node_modules/serverless-api-constructs is not the packed library" >&2; exit 1; }
  echo "examples: $example: dependencies ready ($how, $((SECONDS - t)) s)"

  t=$SECONDS
  (cd "$example" && env PATH="$clean_path" node_modules/.bin/jest --ci --silent)
  echo "examples: $example: tests passed ($((SECONDS - t)) s)"

  t=$SECONDS
  rm -rf "$example/cdk.out"
  (cd "$example" && env PATH="$clean_path:$repo/$example/node_modules/.bin" node_modules/.bin/cdk synth '**' --quiet --output cdk.out >/dev/null)
  echo "examples: $example: cdk synth '**' -> $example/cdk.out ($((SECONDS - t)) s)"
done
echo "examples: ${#examples[@]} examples tested and synthesized from the packed library in $((SECONDS - started)) s"
