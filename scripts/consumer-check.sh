#!/usr/bin/env bash
# The consumer check: what a user gets from `npm install serverless-api-constructs`.
#
# Packs the library (or takes --tarball), writes a brand-new CDK app (scripts/consumer-app: an API
# with a public route, a CRUD resource, Cognito, an edge custom domain in a cdk.Stage, Audit; it
# imports the package by name only, and its cdk.json has NO context), installs the tarball next to
# the given aws-cdk-lib / constructs / cdk-nag WITHOUT esbuild, compiles it with TypeScript against
# the installed .d.ts, and runs `cdk synth '**'` with the repository's aws-cdk CLI. Then the entry
# points on the AWS SDK: without it they name what to install; with it (scripts/consumer-app/runtime)
# they typecheck and run. The same for the local server (bin and entry point): without its engines
# it names the command; with them it serves the synthesized Dev stage. Offline except the npm registry.
#
#   scripts/consumer-check.sh [--tarball FILE] [floor|pinned|<aws-cdk-lib version>]...
#
#   floor    the lowest versions of the peerDependencies ranges in package.json
#   pinned   the versions of devDependencies (what the repository builds and tests with)
#   2.x.y    that aws-cdk-lib, with the floor constructs and cdk-nag (to look for the floor)
#
# Default: floor pinned. Exits non-zero on the first failure.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
tarball=""
if [[ "${1:-}" == "--tarball" ]]; then
  tarball="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"
  shift 2
fi
[[ $# -gt 0 ]] || set -- floor pinned

work="$(mktemp -d "${TMPDIR:-/tmp}/consumer-check.XXXXXX")"
[[ -n "${KEEP:-}" ]] || trap 'rm -rf "$work"' EXIT

if [[ -z "$tarball" ]]; then
  echo "consumer-check: npm pack (runs the build)"
  (cd "$repo" && npm pack --silent --pack-destination "$work" >/dev/null)
  tarball="$(ls "$work"/serverless-api-constructs-*.tgz)"
fi

# Versions from package.json: the floor of each peer range ('^2.257.0' -> 2.257.0), and the pins.
version_of() { # <floor|pinned> <package>
  node -e '
    const p = require(process.argv[1]);
    const [mode, name] = process.argv.slice(2);
    const v = mode === "floor" ? p.peerDependencies[name].replace(/^[\^~>=\s]+/, "").split(/\s/)[0] : p.devDependencies[name];
    if (!/^\d+\.\d+\.\d+$/.test(v)) { console.error(`no exact ${mode} version of ${name}: ${v}`); process.exit(1); }
    console.log(v);' "$repo/package.json" "$1" "$2"
}

# PATH without any node_modules/.bin: nothing (esbuild, tsc, cdk) may leak in from the repository.
clean_path="$(printf '%s' "$PATH" | tr ':' '\n' | grep -v 'node_modules/\.bin' | paste -sd: -)"
tsc="$repo/node_modules/typescript/bin/tsc"
cdk="$repo/node_modules/aws-cdk/bin/cdk"

check() { # <mode or aws-cdk-lib version>
  local mode="$1" cdklib constructs nag
  case "$mode" in
    floor|pinned)
      cdklib="$(version_of "$mode" aws-cdk-lib)"; constructs="$(version_of "$mode" constructs)"; nag="$(version_of "$mode" cdk-nag)" ;;
    *)
      cdklib="$mode"; constructs="$(version_of floor constructs)"; nag="$(version_of floor cdk-nag)" ;;
  esac
  local app="$work/app-$mode" started=$SECONDS
  echo "consumer-check [$mode]: aws-cdk-lib $cdklib, constructs $constructs, cdk-nag $nag"
  cp -R "$repo/scripts/consumer-app" "$app"
  cat > "$app/package.json" <<EOF
{
  "name": "consumer-app",
  "version": "0.0.0",
  "private": true,
  "dependencies": {
    "aws-cdk-lib": "$cdklib",
    "cdk-nag": "$nag",
    "constructs": "$constructs",
    "serverless-api-constructs": "file:$tarball"
  }
}
EOF
  (cd "$app" && env PATH="$clean_path" npm install --no-audit --no-fund --no-package-lock --prefer-offline --loglevel=error >/dev/null)
  (cd "$app" && node -e '
    const installed = n => require(require.resolve(`${n}/package.json`, { paths: [process.cwd()] })).version;
    for (const [n, v] of [["aws-cdk-lib", process.argv[1]], ["constructs", process.argv[2]], ["cdk-nag", process.argv[3]]]) {
      if (installed(n) !== v) { console.error(`${n} ${installed(n)} installed, expected ${v}`); process.exit(1); }
    }
    // One aws-cdk-lib: the library must use the app'"'"'s, not bring its own.
    const fs = require("fs");
    // Its node_modules may hold only what it bundles (bundleDependencies: yaml, for OpenAPI import).
    const own = "node_modules/serverless-api-constructs/node_modules";
    const bundled = require("serverless-api-constructs/package.json").bundleDependencies ?? [];
    const extra = fs.existsSync(own) ? fs.readdirSync(own).filter(n => !n.startsWith(".") && !bundled.includes(n)) : [];
    if (extra.length) { console.error(`the library installed its own copies of ${extra.join(", ")}`); process.exit(1); }
    try { require.resolve("esbuild", { paths: [process.cwd()] }); console.error("esbuild is installed in the consumer app"); process.exit(1); } catch {}
  ' "$cdklib" "$constructs" "$nag")
  (cd "$app" && node "$tsc" -p tsconfig.json)
  # Every entry point of the exports map is in the package, with its types; the typed-client bin runs
  # and, without openapi-typescript in the app, names the package to install (exit 2, no stack trace).
  (cd "$app" && node -e '
    const fs = require("fs"), path = require("path");
    const root = path.dirname(require.resolve("serverless-api-constructs/package.json"));
    const pkg = require(path.join(root, "package.json"));
    for (const [entry, target] of Object.entries(pkg.exports)) {
      const files = typeof target === "string" ? [target] : [target.types, target.default];
      for (const f of files) {
        if (!fs.existsSync(path.join(root, f))) { console.error(`export ${entry}: ${f} is missing from the package`); process.exit(1); }
      }
    }
    for (const [name, f] of Object.entries(pkg.bin)) {
      if (!fs.existsSync(path.join(root, f))) { console.error(`bin ${name}: ${f} is missing from the package`); process.exit(1); }
    }')
  set +e
  echo '{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{}}' > "$app/openapi.json"
  client_out="$(cd "$app" && env PATH="$clean_path" node node_modules/.bin/serverless-api-client --document openapi.json --out client 2>&1)"
  client_status=$?
  set -e
  if [[ $client_status -ne 2 || "$client_out" != *"openapi-typescript is not installed"* ]]; then
    echo "consumer-check: serverless-api-client without openapi-typescript should name it and exit 2 (exit $client_status): $client_out"
    exit 1
  fi
  (cd "$app" && env PATH="$clean_path" CDK_DISABLE_CLI_TELEMETRY=true node "$cdk" synth '**' --quiet --no-notices --output cdk.out >/dev/null)
  (cd "$app" && node -e '
    const fs = require("fs"), path = require("path");
    const out = "cdk.out", templates = [], handlerAssets = new Set();
    const walk = dir => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory() && /^asset\./.test(e.name)) {
          const map = path.join(p, "index.js.map");
          if (fs.existsSync(map) && JSON.parse(fs.readFileSync(map, "utf8")).sources.some(s => s.includes("serverless-api-constructs/lib/runtime/crud/"))) handlerAssets.add(e.name);
        } else if (e.isDirectory()) walk(p);
        else if (e.name.endsWith(".template.json")) templates.push(p);
      }
    };
    walk(out);
    const names = templates.map(t => path.basename(t)).sort();
    const types = templates.flatMap(t => Object.values(JSON.parse(fs.readFileSync(t, "utf8")).Resources ?? {}).map(r => r.Type));
    const fail = m => { console.error("consumer-check: " + m); process.exit(1); };
    for (const stage of ["Dev", "Prod"]) {
      if (!names.some(n => n.startsWith(`${stage}TodoApi`) && !n.includes("Certificate"))) fail(`no API stack template of ${stage} in ${names}`);
      if (!names.some(n => n.startsWith(`${stage}TodoApiCertificate`))) fail(`no us-east-1 certificate stack of ${stage} in ${names}`);
    }
    if (types.some(t => /CrossRegionExport/.test(t))) fail("strong cross-region references (export writer/reader) with an empty cdk.json context");
    if (types.filter(t => t === "AWS::Lambda::Function").length < 12) fail("expected the CRUD and health functions of both stages");
    if (handlerAssets.size !== 5) fail(`expected the 5 prebuilt CRUD handler assets, found ${handlerAssets.size}`);
    console.log(`  ${names.length} templates (${names.join(", ")}), ${types.length} resources, CRUD handler assets ${[...handlerAssets].sort().map(a => a.slice(6, 14)).join(" ")}`);
  ')
  # The entry points on the AWS SDK (client, runtime/websocket): the app above has no @aws-sdk package
  # (the Lambda runtime provides them; jsii refuses non-jsii peerDependencies, so the package cannot
  # declare them). Loading either names the packages to install (no stack trace from inside the
  # package); with them installed (the versions the repository pins), a script using both typechecks
  # and runs.
  for entry in client runtime/websocket; do
    set +e
    entry_out="$(cd "$app" && node -e "require('serverless-api-constructs/$entry')" 2>&1)"
    entry_status=$?
    set -e
    if [[ $entry_status -eq 0 || "$entry_out" != *"serverless-api-constructs/$entry needs @aws-sdk/"*"npm install @aws-sdk/"* || "$entry_out" == *"Require stack"* ]]; then
      echo "consumer-check: serverless-api-constructs/$entry without the AWS SDK should name what to install (exit $entry_status): $entry_out"
      exit 1
    fi
    echo "  without the AWS SDK: $(grep -m1 -o "serverless-api-constructs/$entry needs .*" <<<"$entry_out")"
  done
  # The local server (bin serverless-api-local, entry serverless-api-constructs/local) runs on packages
  # the app installs itself (lib/local/engines.ts): without them, --help still answers, and serving or
  # loading the entry names the npm command to run (no stack trace). That very command is run below.
  local_help="$(cd "$app" && env PATH="$clean_path" node node_modules/.bin/serverless-api-local --help)"
  [[ "$local_help" == *"Usage: serverless-api-local"* ]] || { echo "consumer-check: serverless-api-local --help printed: $local_help"; exit 1; }
  set +e
  local_out="$(cd "$app" && env PATH="$clean_path" node node_modules/.bin/serverless-api-local --stage Dev --port 0 --no-persist 2>&1)"
  local_status=$?
  entry_out="$(cd "$app" && node -e "require('serverless-api-constructs/local')" 2>&1)"
  entry_status=$?
  set -e
  engines="$(grep -m1 -o 'npm install --save-dev .*' <<<"$local_out" | sed 's/^npm install --save-dev //')"
  if [[ $local_status -ne 1 || -z "$engines" || "$local_out" == *"    at "* ]]; then
    echo "consumer-check: serverless-api-local without its engines should name the npm command and exit 1 (exit $local_status): $local_out"
    exit 1
  fi
  if [[ $entry_status -eq 0 || "$entry_out" != *"npm install --save-dev $engines"* ]]; then
    echo "consumer-check: serverless-api-constructs/local without its engines should name the npm command (exit $entry_status): $entry_out"
    exit 1
  fi
  echo "  without the local server's engines: npm install --save-dev $engines"
  local sdk=() name
  for name in @aws-sdk/client-apigatewaymanagementapi @aws-sdk/client-dynamodb @aws-sdk/client-lambda @aws-sdk/lib-dynamodb @types/node; do
    sdk+=("$name@$(version_of pinned "$name")")
  done
  # shellcheck disable=SC2086 # $engines is the package list the package printed
  (cd "$app" && env PATH="$clean_path" npm install --no-save --no-audit --no-fund --no-package-lock --prefer-offline --loglevel=error "${sdk[@]}" $engines >/dev/null)
  (cd "$app" && node "$tsc" -p tsconfig.runtime.json && node build-runtime/runtime/entry-points.js && env PATH="$clean_path" node build-runtime/runtime/local-server.js)
  echo "consumer-check [$mode]: ok in $((SECONDS - started)) s"
}

for mode in "$@"; do
  check "$mode"
done
