#!/usr/bin/env bash
# Real-editor tests (`npm run test:e2e`): the packaged extension in code-server (VS Code 1.100's web
# workbench and Node extension host), driven by Debian's Chromium through playwright-core.
# Offline apart from the npm registry and Debian apt; runs as root. See test/e2e/README.md.
#
#   npm run test:e2e                                  # everything
#   npm run test:e2e -- --grep 'code lens'            # only matching tests (UI and in-host)
#   npm run test:e2e -- --ui-only | --in-host-only
#   RML_E2E_VSIX=path/to.vsix npm run test:e2e        # test a given .vsix (skips `npm run package`)
#   RML_E2E_CACHE=DIR                                 # where code-server is cached (~/.cache/rml-e2e)
#
# Prints "N passed, N failed" last; exit 0 only when all passed.
set -Eeuo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
T0=$SECONDS
fail() { echo "e2e: $*" >&2; echo "0 passed, 1 failed"; exit 1; }

# 1. Debian packages: Chromium (the browser), ripgrep (replaces @vscode/ripgrep's GitHub download),
#    libkrb5-dev (headers for code-server's kerberos module), fonts, and a native toolchain.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || missing+=(fonts-dejavu-core)
for b in python3 make g++; do command -v "$b" >/dev/null 2>&1 || missing+=("$b"); done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "e2e: installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    fail "missing Debian packages: ${missing[*]} (sudo apt-get install ${missing[*]})"
  fi
fi

# 2. code-server, cached across clones
CS_PKG="$(bash test/e2e/install-code-server.sh | tail -n 1)" || fail "code-server install failed"
export RML_E2E_CODE_SERVER="$CS_PKG"

# 3. the packaged extension
if [ -z "${RML_E2E_VSIX:-}" ]; then
  VSIX="$(node -p 'const p = require("./package.json"); `${p.name}-${p.version}.vsix`')"   # vsce's default name
  rm -f "$VSIX"
  npm run -s package || fail "npm run package failed"
  [ -f "$VSIX" ] || fail "npm run package did not write $VSIX"
  export RML_E2E_VSIX="$VSIX"
fi
echo "e2e: setup took $((SECONDS - T0)) s (code-server: $CS_PKG; vsix: $RML_E2E_VSIX)"

# 4. the tests
exec node_modules/.bin/tsx test/e2e/run.ts "$@"
