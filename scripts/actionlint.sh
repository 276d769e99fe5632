#!/usr/bin/env bash
# Lints action.yml through the README's example workflow: actionlint checks
# workflows, and reads a local action's metadata (its inputs) when a step
# uses it. The example is copied with `uses: ./` so that the action checked
# is this one. actionlint comes from the Go module proxy (about 45 s the
# first time, under 2 s once in the module and build caches).
set -euo pipefail
cd "$(dirname "$0")/.."
version=v1.7.12
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/.github/workflows"
git -C "$dir" init -q # actionlint looks for the project root
cp action.yml "$dir/"
awk '/<!-- action-example -->/{on=1; next} /<!-- \/action-example -->/{on=0} on && !/^```/' README.md |
  sed 's|uses: ghruns/gh-runs@v1|uses: ./|' >"$dir/.github/workflows/example.yml"
if [ ! -s "$dir/.github/workflows/example.yml" ]; then
  echo "actionlint.sh: no example workflow found in README.md" >&2
  exit 1
fi
(cd "$dir" && go run "github.com/rhysd/actionlint/cmd/actionlint@$version" -no-color)
