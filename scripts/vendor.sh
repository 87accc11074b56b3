#!/usr/bin/env bash
# Vendor pinned front-end libraries into static/vendor/ so nothing is fetched
# from a CDN at run time. Uses the npm registry configured for plain `npm`.
#
# To bump a version: change the *_VERSION variable and set the matching
# *_INTEGRITY to the empty string, run the script once (it prints the
# integrity it saw), then pin that value.
#
# Re-running with the same pins gives byte-identical files.
set -euo pipefail

HTMX_VERSION="2.0.11"
HTMX_INTEGRITY="sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA=="

BOOTSTRAP_VERSION="5.3.9"
BOOTSTRAP_INTEGRITY="sha512-20cU0rcfw8WdxtVbmfU+xT2EjvVTw9Ror/h1Qvd7DXCujRg8OO9mdBCsmTHdJFf3BuadmBNJtgIuUXsBqSkk/w=="

BOOTSTRAP_ICONS_VERSION="1.13.2"
BOOTSTRAP_ICONS_INTEGRITY="sha512-fAU1Ly3dH7hwRg+CB8EZ0Vl0fF80zgXHeUVJyfUOKzoURr+TbwISbCW5tKUoQLERaWYG2emTCybcPbD96hdD1A=="

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR_REL="static/vendor"
VENDOR_DIR="$REPO_ROOT/$VENDOR_REL"

export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

die() { echo "vendor.sh: $*" >&2; exit 1; }

command -v npm >/dev/null || die "npm not found"
command -v sha256sum >/dev/null || die "sha256sum not found"
command -v node >/dev/null || die "node not found"

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
STAGE="$TMP/out"
mkdir -p "$STAGE"

# fetch NAME VERSION INTEGRITY -> extracts into $TMP/NAME/package, echoes that path
fetch() {
  local name="$1" version="$2" integrity="$3"
  local dir="$TMP/$name" tgz actual
  mkdir -p "$dir/pack" "$dir/x"
  (cd "$dir/pack" && npm pack --silent --ignore-scripts "$name@$version" >/dev/null)
  tgz="$(find "$dir/pack" -maxdepth 1 -name '*.tgz' -print -quit)"
  [[ -n "$tgz" ]] || die "npm pack produced no tarball for $name@$version"
  # Same format as npm's "integrity" field (node is always present alongside npm).
  actual="sha512-$(node -e 'const c=require("crypto"),f=require("fs");process.stdout.write(c.createHash("sha512").update(f.readFileSync(process.argv[1])).digest("base64"))' "$tgz")"
  if [[ -z "$integrity" ]]; then
    echo "vendor.sh: WARNING: no integrity pinned for $name@$version; got $actual" >&2
  elif [[ "$actual" != "$integrity" ]]; then
    die "integrity mismatch for $name@$version: expected $integrity, got $actual"
  fi
  tar --no-same-owner -xzf "$tgz" -C "$dir/x"
  [[ -d "$dir/x/package" ]] || die "unexpected tarball layout for $name@$version"
  echo "$dir/x/package"
}

# Remove sourceMappingURL comments (whole line if alone, else inline) so
# browsers don't request .map files we don't ship.
strip_sourcemap() {
  local f="$1"
  sed -E -i \
    -e '/^[[:space:]]*(\/\/[#@] sourceMappingURL=.*|\/\*[#@] sourceMappingURL=[^*]*\*\/)[[:space:]]*$/d' \
    -e 's#/\*[#@] sourceMappingURL=[^*]*\*/##g' \
    -e 's#//[#@] sourceMappingURL=[^[:space:]]*[[:space:]]*$##' \
    "$f"
  if grep -q 'sourceMappingURL' "$f"; then die "could not strip sourceMappingURL from $f"; fi
}

# copy SRC DEST_REL (DEST_REL relative to static/vendor)
copy() {
  local src="$1" dest="$STAGE/$2"
  [[ -f "$src" ]] || die "missing file in package: $src"
  mkdir -p "$(dirname "$dest")"
  cp "$src" "$dest"
  chmod 0644 "$dest"
}

# ---- htmx -------------------------------------------------------------------
HTMX_PKG="$(fetch htmx.org "$HTMX_VERSION" "$HTMX_INTEGRITY")"
copy "$HTMX_PKG/dist/htmx.min.js" htmx/htmx.min.js
copy "$HTMX_PKG/LICENSE"          htmx/LICENSE
strip_sourcemap "$STAGE/htmx/htmx.min.js"
grep -q "version:\"$HTMX_VERSION\"" "$STAGE/htmx/htmx.min.js" \
  || die "htmx.min.js does not contain version:\"$HTMX_VERSION\""

# ---- bootstrap --------------------------------------------------------------
BS_PKG="$(fetch bootstrap "$BOOTSTRAP_VERSION" "$BOOTSTRAP_INTEGRITY")"
copy "$BS_PKG/dist/css/bootstrap.min.css"      bootstrap/bootstrap.min.css
copy "$BS_PKG/dist/js/bootstrap.bundle.min.js" bootstrap/bootstrap.bundle.min.js
copy "$BS_PKG/LICENSE"                         bootstrap/LICENSE
strip_sourcemap "$STAGE/bootstrap/bootstrap.min.css"
strip_sourcemap "$STAGE/bootstrap/bootstrap.bundle.min.js"

# ---- bootstrap-icons --------------------------------------------------------
BI_PKG="$(fetch bootstrap-icons "$BOOTSTRAP_ICONS_VERSION" "$BOOTSTRAP_ICONS_INTEGRITY")"
copy "$BI_PKG/font/bootstrap-icons.min.css"     bootstrap-icons/bootstrap-icons.min.css
copy "$BI_PKG/font/bootstrap-icons.json"        bootstrap-icons/bootstrap-icons.json
copy "$BI_PKG/font/fonts/bootstrap-icons.woff2" bootstrap-icons/fonts/bootstrap-icons.woff2
copy "$BI_PKG/font/fonts/bootstrap-icons.woff"  bootstrap-icons/fonts/bootstrap-icons.woff
copy "$BI_PKG/LICENSE"                          bootstrap-icons/LICENSE
BI_CSS="$STAGE/bootstrap-icons/bootstrap-icons.min.css"
strip_sourcemap "$BI_CSS"
# Normalise font URLs to ./fonts/... (relative to the CSS file).
sed -E -i 's#url\((["'"'"']?)(\./)?fonts/#url(\1./fonts/#g' "$BI_CSS"
# Every url(...) in the CSS must be a ./fonts/ file we ship.
urls="$(grep -oE 'url\([^)]*\)' "$BI_CSS" | sed -E "s/^url\([\"']?//; s/[\"']?\)$//; s/[?#].*$//")"
[[ -n "$urls" ]] || die "no font url() found in bootstrap-icons CSS"
while IFS= read -r u; do
  [[ "$u" == ./fonts/* ]] || die "unexpected url in bootstrap-icons CSS: $u"
  [[ -f "$STAGE/bootstrap-icons/$u" ]] || die "bootstrap-icons CSS references missing file: $u"
done <<<"$urls"

# ---- VERSIONS ---------------------------------------------------------------
{
  for entry in \
    "htmx.org@$HTMX_VERSION htmx" \
    "bootstrap@$BOOTSTRAP_VERSION bootstrap" \
    "bootstrap-icons@$BOOTSTRAP_ICONS_VERSION bootstrap-icons"; do
    spec="${entry% *}"; sub="${entry#* }"
    (cd "$STAGE" && find "$sub" -type f | LC_ALL=C sort) | while IFS= read -r rel; do
      sum="$(sha256sum "$STAGE/$rel" | cut -d' ' -f1)"
      echo "$spec $VENDOR_REL/$rel $sum"
    done
  done
} > "$STAGE/VERSIONS"

# ---- install into static/vendor (README.md and anything else left alone) ----
mkdir -p "$VENDOR_DIR"
for sub in htmx bootstrap bootstrap-icons; do
  rm -rf "${VENDOR_DIR:?}/$sub"
  cp -R "$STAGE/$sub" "$VENDOR_DIR/$sub"
done
cp "$STAGE/VERSIONS" "$VENDOR_DIR/VERSIONS"
chmod 0644 "$VENDOR_DIR/VERSIONS"

echo "Vendored into $VENDOR_REL:"
cat "$VENDOR_DIR/VERSIONS"
