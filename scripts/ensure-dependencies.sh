# Sourced by start.sh and test.sh: installs the npm workspace when node_modules is missing or older
# than package-lock.json, builds the explorer bundle and the web app when stale; ensure_chromium
# is for test.sh.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

# The gateway's GraphiQL bundle (gateway/dist/explorer, not committed): built with esbuild when
# missing or older than its sources or the installed packages.
if [ ! -f gateway/dist/explorer/manifest.json ] ||
  [ -n "$(find gateway/src/explorer gateway/package.json package-lock.json -newer gateway/dist/explorer/manifest.json -print -quit)" ]; then
  npm run --silent build:explorer -w gateway
fi

# The web app (web/dist, not committed, served by the gateway): built with Vite when missing or
# older than its sources, the SDK's or the installed packages.
if [ ! -f web/dist/index.html ] ||
  [ -n "$(find web/src web/public web/index.html web/vite.config.ts web/package.json sdk/src package-lock.json -newer web/dist/index.html -print -quit)" ]; then
  npm run --silent build -w web
fi

# Headless Chromium for the explorer's browser test (e2e/test/explorer.test.ts), from Debian's
# packages (Playwright's own browser download is not used); test.sh calls it. CI runs as root.
ensure_chromium() {
  if command -v chromium >/dev/null 2>&1; then return 0; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update && apt-get install -y chromium
  else
    echo "chromium is missing (apt-get install chromium): the explorer's browser test will fail" >&2
  fi
}

# promtool (Prometheus' rule tester) for deploy/observability/alerts.test.ts, cached in
# $STACK_DIR/tools/bin (.stack, git-ignored): the one binary of Debian's `prometheus` package,
# downloaded and unpacked (about 20 MB, seconds) rather than installed, which would also install
# and start a Prometheus server; test.sh calls it.
ensure_promtool() {
  local bin="${STACK_DIR:-.stack}/tools/bin"
  if command -v promtool >/dev/null 2>&1 || [ -x "$bin/promtool" ]; then return 0; fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "promtool is missing (install Prometheus' promtool): the alert rule test will fail" >&2
    return 0
  fi
  local work
  work="$(mktemp -d)"
  if ! (cd "$work" && apt-get download prometheus >/dev/null 2>&1); then
    if [ "$(id -u)" = 0 ]; then apt-get update -qq; fi
    if ! (cd "$work" && apt-get download prometheus); then
      echo "could not download Debian's prometheus package: the alert rule test will fail" >&2
      rm -rf "$work"
      return 0
    fi
  fi
  dpkg-deb -x "$work"/prometheus_*.deb "$work/unpacked"
  mkdir -p "$bin"
  cp "$work/unpacked/usr/bin/promtool" "$bin/promtool"
  rm -rf "$work"
}
