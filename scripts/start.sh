#!/usr/bin/env bash
# Starts the platform on a fresh machine: dependencies, the local stack, then every service.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-dependencies.sh
npm run --silent stack -- up
exec node --import tsx scripts/platform.ts
