# Sourced by test.sh: browser tests drive Debian's Chromium through playwright-core (Playwright's
# own browser download cannot work without internet); installs it when missing (needs root).
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Browser tests need Debian's chromium: run 'apt-get install -y chromium' as root" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
