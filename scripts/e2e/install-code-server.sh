#!/usr/bin/env bash
# Installs code-server (a real VS Code workbench served over HTTP) for the end-to-end suite, into
# .e2e/code-server/ inside the repo (git-ignored), from the npm registry only. Idempotent: does nothing
# when the pinned version is already installed and complete.
#
# Usage: bash scripts/e2e/install-code-server.sh        (prints the path of the code-server binary last)
# Env:   CODE_SERVER_VERSION (default 4.100.3: VS Code 1.100.3, the last release whose engines.node is 20)
#        E2E_CACHE_DIR       (default <repo>/.e2e)
#
# Needs (Debian): libkrb5-dev python3 make g++ (native modules: kerberos, node-pty, spdlog, ...), Node 20
# headers in /usr/include/node (Debian's nodejs), and as root --unsafe-perm. Offline apart from the npm
# registry: @vscode/ripgrep's postinstall would download rg from GitHub, so its download cache is seeded
# with an rg binary first (from the npm package @vscode/ripgrep-linux-x64, else the one on PATH).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
version="${CODE_SERVER_VERSION:-4.100.3}"
cache="${E2E_CACHE_DIR:-$repo/.e2e}"
prefix="$cache/code-server"
bin="$prefix/node_modules/.bin/code-server"
marker="$prefix/.installed-$version"

if [ -f "$marker" ] && [ -x "$bin" ]; then
  echo "install-code-server: code-server $version already installed in $prefix"
  echo "$bin"
  exit 0
fi

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" != "20" ]; then
  echo "install-code-server: code-server $version needs Node 20, this is $(node -v)" >&2
  exit 1
fi
for tool in python3 make g++; do
  command -v "$tool" >/dev/null || { echo "install-code-server: missing $tool (apt-get install $tool)" >&2; exit 1; }
done
nodedir="${npm_config_nodedir:-/usr}"
if [ ! -f "$nodedir/include/node/node.h" ]; then
  echo "install-code-server: no Node headers in $nodedir/include/node (Debian's nodejs package ships them;" \
    "elsewhere set npm_config_nodedir to a Node 20 source/headers dir), node-gyp would try to download them" >&2
  exit 1
fi
if [ ! -f /usr/include/gssapi/gssapi.h ] && [ ! -f /usr/include/krb5.h ]; then
  echo "install-code-server: missing Kerberos headers (apt-get install libkrb5-dev)" >&2
  exit 1
fi

started=$(date +%s)
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Seed @vscode/ripgrep's download cache (it keys the cache on its own version and on rg's release tag).
# Values for code-server 4.100.3 (lib/vscode/npm-shrinkwrap.json → @vscode/ripgrep 1.15.11 → rg v13.0.0-10).
rg_pkg_version="${RIPGREP_PKG_VERSION:-1.15.11}"
rg_tag="${RIPGREP_TAG:-v13.0.0-10}"
rg_cache_dir="${TMPDIR:-/tmp}/vscode-ripgrep-cache-$rg_pkg_version"
rg_tarball="$rg_cache_dir/ripgrep-$rg_tag-x86_64-unknown-linux-musl.tar.gz"
if [ "$(uname -m)" != "x86_64" ]; then
  echo "install-code-server: only x86_64 is supported by this script" >&2
  exit 1
fi
if [ ! -s "$rg_tarball" ]; then
  mkdir -p "$tmp/rg" "$rg_cache_dir"
  if (cd "$tmp" && npm pack --silent @vscode/ripgrep-linux-x64@1.18.0 >/dev/null 2>&1) &&
    tar -xzf "$tmp"/vscode-ripgrep-linux-x64-*.tgz -C "$tmp" package/bin/rg; then
    cp "$tmp/package/bin/rg" "$tmp/rg/rg"
  elif command -v rg >/dev/null; then
    cp "$(command -v rg)" "$tmp/rg/rg"
  else
    echo "install-code-server: no rg binary: neither npm's @vscode/ripgrep-linux-x64 nor Debian's ripgrep" >&2
    exit 1
  fi
  chmod +x "$tmp/rg/rg"
  tar -czf "$rg_tarball" -C "$tmp/rg" rg
fi

# A fresh prefix of its own, so nothing touches the repo's node_modules.
rm -rf "$prefix"
mkdir -p "$prefix"
cat >"$prefix/package.json" <<JSON
{ "name": "align-lab-e2e-code-server", "private": true, "dependencies": { "code-server": "$version" } }
JSON

# npm 11 blocks dependency install scripts unless approved. code-server's postinstall runs two nested
# `npm install`s (lib/vscode, lib/vscode/extensions) whose native modules need their scripts too, and
# those nested projects carry no allowScripts policy, so the approval is passed by environment to the
# whole tree. It is confined to this throwaway prefix of pinned, shrinkwrapped packages.
echo "install-code-server: installing code-server $version into $prefix (about a minute)"
(
  cd "$prefix"
  export npm_config_dangerously_allow_all_scripts=true
  export npm_config_unsafe_perm=true
  export npm_config_yes=true
  export npm_config_nodedir="$nodedir"
  export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
  npm install --no-package-lock --loglevel=error >"$prefix/install.log" 2>&1
) || {
  echo "install-code-server: npm install failed; last lines of $prefix/install.log:" >&2
  tail -40 "$prefix/install.log" >&2
  exit 1
}

# Check the pieces a workbench needs really got built.
cs="$prefix/node_modules/code-server"
for f in lib/vscode/node_modules/node-pty/build/Release/pty.node \
  lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node \
  lib/vscode/node_modules/@vscode/ripgrep/bin/rg \
  lib/vscode/node_modules.asar \
  lib/vscode/out/server-main.js; do
  [ -e "$cs/$f" ] || { echo "install-code-server: incomplete install, $f is missing" >&2; exit 1; }
done
"$bin" --version >/dev/null
touch "$marker"
echo "install-code-server: done in $(($(date +%s) - started)) s"
echo "$bin"
