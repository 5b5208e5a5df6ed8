#!/usr/bin/env bash
# One step from a fresh clone to a working project: the system packages that are missing (on Debian/Ubuntu,
# with apt-get), then npm's. README's Quick start runs it, and so does .ci/run, so CI proves the README.
#
#   bash scripts/setup.sh            everything: Jupyter, Chromium and numpy for the tests, then npm ci
#   bash scripts/setup.sh --no-system   only npm ci (you installed Jupyter, Chromium and numpy yourself)
#
# Node.js 20.19 or newer must be installed first: Debian 12's own nodejs is 18, too old, so it is not
# installed here (see README for where to get it).
set -euo pipefail
cd "$(dirname "$0")/.."

system=1
for arg in "$@"; do
  case "$arg" in
    --no-system) system=0 ;;
    -h | --help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown option \"$arg\" (known: --no-system, --help)" >&2; exit 2 ;;
  esac
done

# Node first: npm ci needs it, and an old one fails later with a less clear message.
if ! command -v node >/dev/null 2>&1; then
  echo "setup.sh: Node.js is not installed. Install Node.js 20.19 or newer (https://nodejs.org, or nvm), then run this again." >&2
  exit 1
fi
node_version="$(node -p 'process.versions.node')"
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'; then
  echo "setup.sh: Node.js $node_version is too old; this project needs 20.19 or newer (https://nodejs.org, or nvm)." >&2
  exit 1
fi
echo "Node.js $node_version, npm $(npm --version)"

# What each Debian package is for: Jupyter runs the chapters (nbconvert and nbclient headless, the classic
# Notebook for `npm start` and the browser test), Chromium checks the book's pages and figures in the tests,
# numpy runs the reference of Nielsen's algorithm that test/nielsen-equivalence.test.ts compares against.
DEBIAN_PACKAGES=(jupyter-notebook jupyter-nbconvert python3-nbclient python3-ipykernel chromium python3-numpy)

if [ "$system" = 1 ]; then
  if command -v apt-get >/dev/null 2>&1 && command -v dpkg-query >/dev/null 2>&1; then
    missing=()
    for pkg in "${DEBIAN_PACKAGES[@]}"; do
      dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    if [ ${#missing[@]} -gt 0 ]; then
      SUDO=""
      if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
      echo "Installing Debian packages: ${missing[*]}"
      $SUDO apt-get update -q
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}"
    else
      echo "Debian packages: all present (${DEBIAN_PACKAGES[*]})"
    fi
  else
    echo "setup.sh: no apt-get here, so no system packages were installed. You need, on your own:" >&2
    echo "  Jupyter (pip install notebook nbconvert), numpy (pip install numpy), and Chromium or Chrome" >&2
    echo "  (set CHROMIUM=/path/to/chrome) for the tests; then run: bash scripts/setup.sh --no-system" >&2
    exit 1
  fi
fi

# Installs tslab and the rest exactly as package-lock.json pins them, builds lib/, registers the kernel
# inside this project (build/jupyter/; nothing global).
npm ci --no-audit --no-fund
echo
echo "Set up. Next: npm test (the library's tests and every chapter, headless), or npm start (the chapters in Jupyter)."
