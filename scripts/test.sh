#!/usr/bin/env bash
# The whole test suite on a fresh machine: install dependencies when missing, bring the local stack
# up (PostgreSQL, Redis, Kafka, MongoDB-wire), then lint, typecheck, the public API's schema
# check, the web app's component tests (vitest) and jest against it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-dependencies.sh
ensure_helm
ensure_chromium
ensure_promtool
npm run --silent stack -- up
npm run --silent lint
npm run --silent typecheck
npm run --silent schema:check
npm run --silent test -w web
npm run --silent jest -- --ci
