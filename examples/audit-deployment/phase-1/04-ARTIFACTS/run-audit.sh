#!/usr/bin/env bash
# Reproduces the Phase 1 baseline: every tool pinned, every report written to audit-out/.
set -euo pipefail
mkdir -p audit-out
pip install pylint==3.0.3 mypy==1.8.0 safety==3.0.1 pip-audit==2.7.0 bandit==1.7.6 pytest-cov==4.1.0
pylint bot_data_scientist --output-format=json > audit-out/pylint.json || true
mypy bot_data_scientist > audit-out/mypy.txt || true
safety check -r requirements.txt --json > audit-out/safety.json || true
pip-audit -r requirements.txt -f json > audit-out/pip-audit.json || true
bandit -r bot_data_scientist -f json -o audit-out/bandit.json || true
pytest --cov=bot_data_scientist --cov-report=json:audit-out/coverage.json
