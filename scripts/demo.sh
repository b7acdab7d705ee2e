#!/usr/bin/env bash
# Set-up plus demo: installs the Debian libraries, builds datastream-delta (release) and runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup-common.sh
install_debian_packages
echo "==> swift build -c release (takes a few minutes the first time)"
swift build -c release --product datastream-delta
BIN="$(swift build -c release --show-bin-path)/datastream-delta"
echo "==> $BIN --help"
"$BIN" --help
