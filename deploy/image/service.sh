#!/bin/sh
# The production image's entry: SERVICE (gateway, user, data, analytics, notification) picks the
# service; `service.sh` runs it with plain node, `service.sh healthcheck` asks its /health/ready
# (the image's HEALTHCHECK and Compose's). PORT defaults to the service's own default, as in its
# config schema, so the healthcheck finds it when PORT is unset.
set -eu
root="$(cd "$(dirname "$0")/../.." && pwd)"

case "${SERVICE:-}" in
  gateway) main=gateway default_port=4000 ;;
  user) main=subgraphs/user default_port=4001 ;;
  data) main=subgraphs/data default_port=4002 ;;
  analytics) main=subgraphs/analytics default_port=4003 ;;
  notification) main=subgraphs/notification default_port=4004 ;;
  *)
    echo "SERVICE must be gateway, user, data, analytics or notification (it is '${SERVICE:-}')" >&2
    exit 64
    ;;
esac

case "${1:-start}" in
  start)
    # From the tree's root, where node resolves the packages of any --import.
    cd "$root"
    exec node --import @platform/telemetry/register "$main/src/main.js"
    ;;
  healthcheck)
    # node:20-bookworm-slim has neither curl nor wget; node's fetch asks the service itself.
    exec node -e '
      fetch(process.argv[1], { signal: AbortSignal.timeout(2500) }).then(
        (response) => process.exit(response.ok ? 0 : 1),
        () => process.exit(1),
      );' "http://127.0.0.1:${PORT:-$default_port}/health/ready"
    ;;
  *)
    echo "usage: SERVICE=<service> service.sh [start|healthcheck]" >&2
    exit 64
    ;;
esac
