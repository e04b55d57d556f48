#!/usr/bin/env bash
# Assembles what the production image runs into OUT (default dist/production), from a checkout
# whose dependencies are installed and whose explorer bundle and web app are built:
#   - every service's TypeScript (tsconfig.build.json) compiled to JavaScript, each file at the
#     same relative path as its source, so the paths the code resolves from import.meta.url hold;
#   - the files that code reads beside itself: subgraph schemas, SQL migrations, the supergraph,
#     the explorer bundle (gateway/dist/explorer) and the web app (web/dist) the gateway serves;
#   - the manifests of the compiled workspaces (the services and the packages they import), each
#     one's "exports" pointing at its compiled files (src/index.js for src/index.ts; only here:
#     development, jest and tsx keep the sources), and a root manifest listing only them as
#     workspaces;
#   - their production dependencies (`npm ci --omit=dev` on the repository's lock file): no tsx,
#     no TypeScript, no test tools, nothing only the web app, SDK, e2e tests or benchmarks use;
#   - deploy/image/service.sh, the image's entry (`SERVICE=user service.sh`).
# The Dockerfile runs it in its build stage and copies OUT to /app; the production image test
# (e2e/test/deploy/production-image.test.ts) runs it into a temporary directory and starts what it
# made with plain node, which is how the image is checked where no Docker engine runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
out="$(realpath -m "${1:-dist/production}")"

for built in gateway/dist/explorer/manifest.json web/dist/index.html; do
  if [ ! -f "$built" ]; then
    echo "$built is missing: run npm run build:explorer -w gateway && npm run build -w web" >&2
    exit 1
  fi
done

rm -rf "$out"
npx tsc -p tsconfig.build.json --outDir "$out"

# The workspaces as npm lists them (packages/config, subgraphs/user, gateway, web, ...).
mapfile -t workspaces < <(npm query .workspace | node -e \
  'for (const w of JSON.parse(require("fs").readFileSync(0, "utf8"))) console.log(w.location)')

cp package.json package-lock.json "$out/"
# Only the compiled workspaces stay workspaces: a devDependency of a service that another
# workspace needs at run time (react for web, esbuild for bench) is not marked dev in the lock
# file, so with every workspace listed `npm ci --omit=dev` would install it.
(cd "$out" && npm pkg delete workspaces)
compiled=0
for workspace in "${workspaces[@]}"; do
  [ -d "$out/$workspace/src" ] || continue
  (cd "$out" && npm pkg set "workspaces[$compiled]=$workspace")
  compiled=$((compiled + 1))
  cp "$workspace/package.json" "$out/$workspace/"
  # Its non-TypeScript sources (SQL migrations) and its schema.
  (cd "$workspace" && find src -type f ! -name '*.ts' ! -path 'src/explorer/client/*' -print0) |
    while IFS= read -r -d '' file; do
      mkdir -p "$out/$workspace/$(dirname "$file")"
      cp "$workspace/$file" "$out/$workspace/$file"
    done
  if [ -f "$workspace/schema.graphql" ]; then cp "$workspace/schema.graphql" "$out/$workspace/"; fi
  # Every export (".", "./register", under any condition) from its .ts source to its .js.
  node -e '
    const fs = require("fs");
    const file = process.argv[1];
    const manifest = JSON.parse(fs.readFileSync(file, "utf8"));
    const compiled = (target) =>
      typeof target === "string"
        ? target.replace(/^(\.\/src\/.*)\.ts$/, "$1.js")
        : Object.fromEntries(Object.entries(target).map(([key, value]) => [key, compiled(value)]));
    if (manifest.exports) manifest.exports = compiled(manifest.exports);
    fs.writeFileSync(file, JSON.stringify(manifest, null, 2) + "\n");
  ' "$out/$workspace/package.json"
done

mkdir -p "$out/schema" "$out/gateway/dist" "$out/web" "$out/deploy/image"
cp schema/supergraph.graphql "$out/schema/"
cp -R gateway/dist/explorer "$out/gateway/dist/"
cp -R web/dist "$out/web/"
cp deploy/image/service.sh "$out/deploy/image/"

cd "$out"
# No install scripts: no production dependency needs one to run.
npm ci --omit=dev --ignore-scripts --no-audit --no-fund --prefer-offline
# npm also installs the lock file's nested dependencies of workspaces the tree does not hold
# (packages/testing/node_modules/...): nothing here can import them.
for workspace in "${workspaces[@]}"; do
  [ -d "$workspace/src" ] && continue
  rm -rf "${workspace:?}/node_modules"
  if [ -d "$workspace" ]; then rmdir --ignore-fail-on-non-empty "$workspace"; fi
done
