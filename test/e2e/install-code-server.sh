#!/usr/bin/env bash
# Installs code-server (VS Code's web workbench + Node extension host) from the npm registry,
# with no GitHub download, into a cache folder that survives clean clones:
#   ${RML_E2E_CACHE:-$HOME/.cache/rml-e2e}/code-server-<version>/
# Prints the path of the installed package (…/node_modules/code-server) on its last line.
#
# The recipe (see test/e2e/README.md): code-server's postinstall would `npm install` lib/vscode,
# where @vscode/ripgrep's postinstall downloads rg from GitHub (unreachable). So: install with
# scripts off, give @vscode/ripgrep Debian's rg, then run the native builds (node-gyp, with Node's
# headers from /usr) by hand, and recreate the links postinstall.sh makes.
#
# Idempotent and safe to run concurrently: it installs into a temporary folder under a lock and
# renames it into place when complete; an interrupted install leaves no half-installed cache.
set -Eeuo pipefail

CS_VERSION="${CS_VERSION:-4.100.3}"   # newest code-server with engines.node 20 (4.103+ want Node 22)
CACHE="${RML_E2E_CACHE:-${HOME:-/root}/.cache/rml-e2e}"
DEST="$CACHE/code-server-$CS_VERSION"
PKG="$DEST/node_modules/code-server"

export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
# node-gyp must find Node's headers locally (it would download them from nodejs.org otherwise).
nodedir="$(npm config get nodedir 2>/dev/null || true)"
if { [ -z "$nodedir" ] || [ "$nodedir" = undefined ]; } && [ -f /usr/include/node/node.h ]; then
  export npm_config_nodedir=/usr
fi

if [ -f "$DEST/.installed" ] && [ "${FORCE_REINSTALL:-0}" != 1 ]; then
  echo "$PKG"; exit 0
fi

mkdir -p "$CACHE"
exec 9>"$CACHE/.install.lock"
flock 9
# another process may have finished the install while we waited for the lock
if [ -f "$DEST/.installed" ] && [ "${FORCE_REINSTALL:-0}" != 1 ]; then
  echo "$PKG"; exit 0
fi

for b in rg python3 make g++; do
  command -v "$b" >/dev/null 2>&1 || { echo "install-code-server: '$b' is missing (apt-get install ripgrep python3 make g++)" >&2; exit 1; }
done
[ -f /usr/include/krb5.h ] || [ -f /usr/include/gssapi/gssapi.h ] || { echo "install-code-server: libkrb5-dev is missing" >&2; exit 1; }

TMP="$CACHE/.tmp-code-server-$CS_VERSION-$$"
LOG="$CACHE/install-code-server-$CS_VERSION.log"
rm -rf "$TMP"; mkdir -p "$TMP"
cleanup() { rm -rf "$TMP"; }
trap cleanup EXIT
echo "installing code-server $CS_VERSION into $DEST (log: $LOG)" >&2
T0=$SECONDS
(
  set -Eeuo pipefail
  cd "$TMP"
  echo '{ "name": "rml-e2e-code-server", "private": true }' > package.json
  # (a) code-server itself, install scripts off
  npm install --ignore-scripts --no-save "code-server@$CS_VERSION"
  # (b) argon2 is loaded at startup: its prebuilt download fails offline, node-gyp builds it
  npm rebuild argon2
  # (c) what code-server's postinstall.sh does, minus the downloads
  cd node_modules/code-server/lib/vscode
  npm install --omit=dev --ignore-scripts
  # @vscode/ripgrep's postinstall exits early when its bin/ folder exists: give it Debian's rg
  mkdir -p node_modules/@vscode/ripgrep/bin
  ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
  # native modules (spdlog, node-pty, kerberos, native-watchdog, ...); npm_config_yes lets
  # node-pty's postinstall `npx node-gyp` run non-interactively
  npm_config_yes=true npm rebuild --foreground-scripts
  ln -sfn node_modules node_modules.asar
  (cd bin/remote-cli && ln -sf code-linux.sh code-server)
  (cd bin/helpers && ln -sf browser-linux.sh browser.sh)
  cd extensions
  npm install --omit=dev   # typescript for the built-in TS/JS language features
) >"$LOG" 2>&1 || { tail -40 "$LOG" >&2; echo "install-code-server: failed (log: $LOG)" >&2; exit 1; }

VS="$TMP/node_modules/code-server/lib/vscode"
test -x "$VS/node_modules/@vscode/ripgrep/bin/rg" || { echo "install-code-server: ripgrep not in place" >&2; exit 1; }
test -f "$VS/node_modules/node-pty/build/Release/pty.node" || { echo "install-code-server: node-pty not built" >&2; exit 1; }
touch "$TMP/.installed"
rm -rf "$DEST"
mv "$TMP" "$DEST"
# The rg symlink is absolute, so the move keeps it valid.
echo "installed code-server $CS_VERSION in $((SECONDS - T0)) s ($(du -sh "$DEST" | cut -f1))" >&2
echo "$PKG"
