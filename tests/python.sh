#!/usr/bin/env bash
# The Python binding against the CLI (tests/test_python.py); closes with
# "python: N passed, M failed".
cd "$(dirname "$0")/.." && exec python3 tests/test_python.py
