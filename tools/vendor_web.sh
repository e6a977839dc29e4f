#!/usr/bin/env bash
# Vendor the web page's two libraries into derivcheck/web/static/vendor/, from their npm
# packages at pinned versions, with their licences:
#   KaTeX   (typesets the mathematics)   -> vendor/katex/   katex.min.js, katex.min.css,
#                                           fonts/*.woff2, LICENSE
#   Mermaid (draws the computational graph) -> vendor/mermaid/ mermaid.min.js, LICENSE,
#                                           THIRD-PARTY-LICENSES.txt (the packages its
#                                           bundle contains, each with its licence text)
# and VERSIONS.txt with each package's version and npm integrity hash.
#
# Needs node and npm (the npm registry). Run from anywhere: bash tools/vendor_web.sh
# The page loads nothing from elsewhere: it works offline, and the server's
# Content-Security-Policy allows only its own scripts.
set -euo pipefail

KATEX_VERSION=0.19.1
MERMAID_VERSION=12.3.0

root=$(cd "$(dirname "$0")/.." && pwd)
target="$root/derivcheck/web/static/vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

npm pack --silent "katex@$KATEX_VERSION" "mermaid@$MERMAID_VERSION" >/dev/null
mkdir katex mermaid
tar xzf "katex-$KATEX_VERSION.tgz" -C katex
tar xzf "mermaid-$MERMAID_VERSION.tgz" -C mermaid

rm -rf "$target/katex" "$target/mermaid"
mkdir -p "$target/katex/fonts" "$target/mermaid"
cp katex/package/dist/katex.min.js katex/package/dist/katex.min.css "$target/katex/"
# Every browser the page supports reads woff2, the first format katex.min.css offers.
cp katex/package/dist/fonts/*.woff2 "$target/katex/fonts/"
cp katex/package/LICENSE "$target/katex/LICENSE"
cp mermaid/package/dist/mermaid.min.js "$target/mermaid/"
cp mermaid/package/LICENSE "$target/mermaid/LICENSE"

# mermaid.min.js bundles its dependencies: their licences go beside it.
npm install --silent --no-save --ignore-scripts --no-audit --no-fund \
    --prefix deps "mermaid@$MERMAID_VERSION" >/dev/null
node - "$work/deps/node_modules" "$target/mermaid/THIRD-PARTY-LICENSES.txt" <<'NODE'
const fs = require("fs");
const path = require("path");
const [modules, out] = process.argv.slice(2);
const found = [];
function visit(folder) {
  for (const name of fs.readdirSync(folder).sort()) {
    if (name.startsWith(".")) continue;
    const where = path.join(folder, name);
    if (name.startsWith("@")) { visit(where); continue; }
    const manifest = path.join(where, "package.json");
    if (!fs.existsSync(manifest)) continue;
    const pkg = JSON.parse(fs.readFileSync(manifest, "utf8"));
    if (pkg.name === "mermaid") continue;
    const files = fs.readdirSync(where).filter((f) => /^(licen[sc]e|copying|notice)/i.test(f)).sort();
    const texts = files.map((f) => fs.readFileSync(path.join(where, f), "utf8").trim());
    found.push(`${pkg.name}@${pkg.version} (${pkg.license || "see its licence"})\n\n` +
               (texts.join("\n\n") || `License: ${pkg.license}`));
    const nested = path.join(where, "node_modules");
    if (fs.existsSync(nested)) visit(nested);
  }
}
visit(modules);
const head = "Packages installed with mermaid (its bundle, mermaid.min.js, contains the code it uses)," +
             " with their licences.\n";
fs.writeFileSync(out, head + "\n" + found.map((t) => "=".repeat(78) + "\n" + t + "\n").join("\n"));
NODE

{
  echo "Vendored by tools/vendor_web.sh from the npm registry."
  for spec in "katex@$KATEX_VERSION" "mermaid@$MERMAID_VERSION"; do
    echo "$spec $(npm view "$spec" dist.integrity)"
  done
} >"$target/VERSIONS.txt"

du -sh "$target"/*
