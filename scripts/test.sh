#!/usr/bin/env bash
# The whole test suite, from a fresh clone on a fresh Debian machine with Swift installed:
# installs the Debian libraries and the Python test tools (into .venv), builds, runs `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup-common.sh
install_debian_packages
install_python_test_tools
export DATASTREAM_DELTA_PYTHON="$PWD/.venv/bin/python"
export DATASTREAM_DELTA_FIXTURES="$PWD/.build/interop-fixtures"
# The real Datastream samples live in ../shared beside the repository.
export DATASTREAM_SAMPLES="${DATASTREAM_SAMPLES:-$(cd .. && pwd)/shared/datastream-samples}"
if [ ! -f "$DATASTREAM_DELTA_FIXTURES/manifest.json" ]; then
    echo "==> writing pyarrow interop fixtures"
    "$DATASTREAM_DELTA_PYTHON" scripts/interop/make_fixtures.py "$DATASTREAM_DELTA_FIXTURES"
fi
echo "==> swift build"
swift build --build-tests
echo "==> swift test"
swift test --skip-build "$@"
