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

# Helm for the chart's tests (e2e/test/deploy/helm-chart.test.ts: helm template and helm lint),
# built once from the Go module proxy into $STACK_DIR/tools/bin (.stack, git-ignored), since no
# release binary can be downloaded here; test.sh calls it. The -X flags are those of Helm's own
# Makefile: its version, and the Kubernetes version (that of the client-go it is built with) that
# `helm template` and `helm lint` assume when no cluster is asked.
HELM_VERSION=v3.19.5
HELM_KUBERNETES_MINOR=34
ensure_helm() {
  local bin="${STACK_DIR:-.stack}/tools/bin"
  if [ -x "$bin/helm" ] && "$bin/helm" version --short 2>/dev/null | grep -q "^$HELM_VERSION"; then
    return 0
  fi
  if ! command -v go >/dev/null 2>&1; then
    echo "go is missing: the Helm chart's tests need helm, built with go (1.24+)" >&2
    return 1
  fi
  local flags="-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
  local package
  for package in helm.sh/helm/v3/pkg/chartutil helm.sh/helm/v3/pkg/lint/rules; do
    flags="$flags -X $package.k8sVersionMajor=1 -X $package.k8sVersionMinor=$HELM_KUBERNETES_MINOR"
  done
  mkdir -p "$bin"
  GOBIN="$(cd "$bin" && pwd)" CGO_ENABLED=0 go install -trimpath -ldflags "$flags" \
    "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
}

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
