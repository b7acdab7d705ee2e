# Shared set-up steps for scripts/demo.sh and scripts/test.sh (sourced, not run).

install_debian_packages() {
    local missing=()
    for pkg in libzstd-dev libsnappy-dev zlib1g-dev pkg-config python3-venv; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "==> apt-get install ${missing[*]}"
        local sudo=""
        [ "$(id -u)" -ne 0 ] && sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
    fi
}

install_python_test_tools() {
    if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import pyarrow, deltalake, fastavro' 2>/dev/null; then
        echo "==> creating .venv with the Python test tools (pyarrow, deltalake, fastavro)"
        python3 -m venv .venv
        .venv/bin/pip install -q --upgrade pip
        .venv/bin/pip install -q -r scripts/test-requirements.txt
    fi
}
