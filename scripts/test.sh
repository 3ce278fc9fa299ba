#!/usr/bin/env bash
# Sets up everything the test suite needs on a fresh machine, then runs all of it.
# Debian packages: chromium and a font for it (browser walks), poppler-utils (pdftoppm),
# postgresql (storage tests against a real server), npm (fetches LHC-Forms, below),
# nginx (the home pages' example proxy, tests/deploy).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null || need+=(chromium)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
# Chinese for chromium: the Spanish and Chinese walks' screenshots and layout checks need real glyphs.
[ -e /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf ] || need+=(fonts-droid-fallback)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v npm >/dev/null || need+=(npm)
[ -x /usr/sbin/nginx ] || need+=(nginx)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "Missing Debian packages: ${need[*]} (install them with apt-get as root)" >&2
    exit 1
  fi
fi

# LHC-Forms, the SDC form filler of tests/test_fhir_lforms.py: its prebuilt files only
# (the package's Angular dependencies are bundled in them), pinned, into node_modules/.
LFORMS_VERSION=40.1.3
if [ "$(cat node_modules/lforms/.version 2>/dev/null)" != "$LFORMS_VERSION" ]; then
  packed=$(mktemp -d)
  (cd "$packed" && npm pack --silent "lforms@$LFORMS_VERSION" >/dev/null)
  rm -rf node_modules/lforms && mkdir -p node_modules/lforms
  tar -xzf "$packed/lforms-$LFORMS_VERSION.tgz" -C node_modules/lforms --strip-components=1
  echo "$LFORMS_VERSION" > node_modules/lforms/.version
  rm -rf "$packed"
fi

python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-test.txt
# Two workers, one test file each at a time (a module's server and data stay with it): CI has 2 cores.
# Pass -n 0 to run in one process.
exec .venv/bin/python -m pytest -n "${PYTEST_WORKERS:-2}" --dist loadfile "$@"
