# The two commands a newcomer needs: `make serve` (build and preview the sample
# site) and `make test`. Both set everything up themselves: the virtualenv, the
# Python packages, and (as root, via apt) Debian's Chromium and newsboat.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
ADDR    ?= 127.0.0.1:8000
export NO_MKDOCS_2_WARNING := 1

.PHONY: help setup cli site serve check test system-deps bench photo-bench audit clean desk-vendor

help:
	@echo "make serve   生成并本地预览示例网站 (http://$(ADDR)/)，编辑台在下一个端口的 /admin/"
	@echo "make site    只生成网站到 site/"
	@echo "make check   检查内容"
	@echo "make test    运行全部测试"
	@echo "make bench   性能基准（BENCH_FULL=1 含 5 万篇）"
	@echo "make photo-bench  照片基准：1000 篇文章各带一张 1200 万像素照片，同一轮与 Hugo 比较"
	@echo "make audit   Lighthouse（手机）：首页与文章页各项 ≥ 95"
	@echo "make desk-vendor  重新下载编辑台用的 Decap CMS（开发人员用，需要 npm）"
	@echo "make cli     说明怎样运行 newsroom 命令（new、check、build、serve）"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

setup: $(STAMP) cli

# newsroom is installed in .venv/, not on PATH: say how to run it (README, docs/editors.md).
cli:
	@echo "newsroom 命令装在 $(BIN)/newsroom。在这个文件夹里可以直接运行，例如："
	@echo "  $(BIN)/newsroom check"
	@echo "或者先运行一次 . $(BIN)/activate，之后在这个终端里直接输入 newsroom check。"

site: $(STAMP)
	$(BIN)/newsroom build

serve: $(STAMP) cli
	$(BIN)/newsroom serve --desk --dev-addr $(ADDR)

check: $(STAMP)
	$(BIN)/newsroom check

# Browser, feed reader and a Chinese font (the site's stack names WenQuanYi Micro Hei; without
# a CJK font Chromium lays out boxes, and layout tests and screenshots measure the wrong glyphs):
# Debian's packages (no browser downloads work here).
system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v newsboat >/dev/null || missing="$$missing newsboat"; \
	test -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc || missing="$$missing fonts-wqy-microhei"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	test -x /usr/bin/time || missing="$$missing time"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

# axe-core and Lighthouse for the browser tests, pinned by package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

test: $(STAMP) system-deps node_modules/.installed
	$(BIN)/pytest -q -n 2 --dist loadfile

bench: $(STAMP) system-deps
	$(BIN)/python bench/run_bench.py

photo-bench: $(STAMP) system-deps
	$(BIN)/python bench/photo_bench.py

audit: $(STAMP) system-deps node_modules/.installed
	CHROME_PATH=/usr/bin/chromium $(BIN)/python tests/audit_lighthouse.py

# The web desk's Decap CMS bundle (docs/desk.md), committed as package data: editors'
# machines have no Node. Re-creates plugins/newsroom/desk/vendor/ from the pinned npm
# tarball; npm pack checks the registry's integrity, and we check it against the pin in
# desk/manifest.py, so a changed tarball fails here instead of being committed.
DESK_TMP := $(shell mktemp -d -u /tmp/desk-vendor.XXXXXX)
desk-vendor: $(STAMP)
	mkdir -p $(DESK_TMP)
	version=$$($(BIN)/python -c 'from newsroom.desk.manifest import VERSION; print(VERSION)'); \
	cd $(DESK_TMP) && npm pack --silent "decap-cms@$$version" >/dev/null
	want=$$($(BIN)/python -c 'from newsroom.desk.manifest import INTEGRITY; print(INTEGRITY)'); \
	got="sha512-$$(openssl dgst -sha512 -binary $(DESK_TMP)/decap-cms-*.tgz | base64 -w0)"; \
	test "$$want" = "$$got" || { echo "decap-cms tarball integrity mismatch: $$got"; exit 1; }
	$(BIN)/python -m newsroom.desk.manifest $(DESK_TMP)/decap-cms-*.tgz
	rm -rf $(DESK_TMP)

clean:
	rm -rf site .pytest_cache
