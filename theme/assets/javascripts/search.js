/* Newsroom search: Pagefind 1.5.2, one shard per year, bigram phrase queries.
 *
 * The index (plugins/newsroom/search.py) stores Chinese text as overlapping
 * bigrams. Each query word becomes an exact phrase of its bigrams, searched
 * shard by shard (brands and workers, then articles newest year first), and
 * the words' result sets are intersected (AND). Every shown result is checked
 * once more against its own text. Nothing is fetched from pagefind/ until a
 * query runs. The results page contract (tests and monitoring rely on it):
 * links inside [data-search-results], data-search-state="done" when finished.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var ROOT = new URL("../../", script ? script.src : location.href);   // assets/javascripts/ -> site root
  var BUNDLE = new URL("pagefind/", ROOT);
  var PAGE = 12;             // results per batch ("更多" shows the next batch; at least 10)
  var PARALLEL = 12;         // fragments loaded at once
  var ENTITIES = 6;          // brand and worker pages shown at most
  var SHARDS_PER_BATCH = 4;  // shards searched for one batch at most ("更多" searches further)
  // The manifest's routes folder and bucket count (search/bundle.py ROUTES, tokens.py
  // ROUTE_BUCKETS): the routes are requested beside the manifest, not after it.
  var ROUTES = { routes: "newsroom-routes", buckets: 1024 };

  // ------------------------------------------------------------ tokens (same as search.py)
  var CJK = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{2fa1f}";
  var TOKEN = new RegExp("([" + CJK + "]+)|([0-9a-z]+)", "gu");
  var CJK_ONLY = new RegExp("^[" + CJK + "]+$", "u");

  function normalize(text) { return String(text).normalize("NFKC").toLowerCase(); }

  function tokens(text) {
    var out = [];
    var norm = normalize(text).replace(/_/g, " ");
    TOKEN.lastIndex = 0;
    var m;
    while ((m = TOKEN.exec(norm)) !== null) {
      if (m[1]) {
        var chars = Array.from(m[1]);
        if (chars.length === 1) out.push(chars[0]);
        for (var i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
      } else {
        out.push(m[2]);
      }
    }
    return out;
  }

  /* The readable text of a stored record (tokens and punctuation) */
  function decode(content) {
    var text = "";
    var prev = null;
    content.split(" ").forEach(function (t) {
      if (!t) return;
      var chars = Array.from(t);
      if (t === "¦") { text += "\n"; prev = null; return; }
      if (CJK_ONLY.test(t)) {
        if (prev && prev.cjk && prev.chars.length === 2 && chars.length === 2 && prev.chars[1] === chars[0]) {
          text += chars[1];
        } else {
          text += t;
        }
        prev = { cjk: true, chars: chars };
      } else if (/^[\p{L}\p{N}]/u.test(t)) {
        if (prev && !prev.cjk && prev.word) text += " ";
        text += t;
        prev = { cjk: false, word: true, chars: chars };
      } else {
        text += t;
        prev = null;
      }
    });
    return text;
  }

  function queryWords(q) {
    var seen = {};
    return normalize(q).split(/\s+/).filter(function (w) {
      if (!w || seen[w] || tokens(w).length === 0) return false;
      seen[w] = true;
      return true;
    });
  }

  /* The Pagefind query for one word: an exact phrase of its tokens */
  function phraseOf(word) {
    var t = tokens(word);
    if (t.length === 1 && Array.from(t[0]).length === 1) return t[0];   // one character: prefix search
    return '"' + t.join(" ") + '"';
  }

  // ------------------------------------------------------------ routing (search.py: route_bucket)
  function routeBucket(token, buckets) {
    var h = 0;
    Array.from(token).forEach(function (ch) { h = (Math.imul(h, 31) + ch.codePointAt(0)) >>> 0; });
    return h % buckets;
  }

  var bucketCache = {};
  function loadBucket(manifest, n) {
    var path = manifest.routes + "/" + n + ".json";
    if (!bucketCache[path]) {
      // Revalidated like the manifest: a bucket keeps its name from build to build while what it
      // says changes (a kept one hides a new article's words). A 304 costs no more than a
      // version tag would: the buckets are asked for beside the manifest, before it is known.
      bucketCache[path] = fetch(new URL(path, BUNDLE).href, { cache: "no-cache" }).then(function (r) {
        if (!r.ok) throw new Error("search routes: HTTP " + r.status);
        return r.json();
      });
    }
    return bucketCache[path];
  }

  /* The buckets of the words' tokens (routeShards' requests, started before the manifest) */
  function loadBuckets(manifest, words) {
    return Promise.all(routedTokens(words).map(function (t) { return loadBucket(manifest, routeBucket(t, manifest.buckets)); }));
  }

  function routedTokens(words) {
    var toks = {};
    words.forEach(function (w) {
      var t = tokens(w);
      if (t.length === 1 && Array.from(t[0]).length === 1) return;
      t.forEach(function (x) { toks[x] = true; });
    });
    return Object.keys(toks);
  }

  /* The shards that hold every token of every word (a necessary condition),
   * as a BigInt mask over manifest.shards; one-character words are not routed. */
  function routeShards(manifest, words) {
    var all = (1n << BigInt(manifest.shards.length)) - 1n;
    var list = routedTokens(words);
    return Promise.all(list.map(function (t) {
      return loadBucket(manifest, routeBucket(t, manifest.buckets)).then(function (b) {
        return b[t] ? BigInt("0x" + b[t]) : 0n;
      });
    })).then(function (masks) {
      return masks.reduce(function (acc, m) { return acc & m; }, all);
    });
  }

  // ------------------------------------------------------------ Pagefind shards
  var modulePromise = null;
  var manifestPromise = null;
  var entryTag = null;         // the manifest's tag of pagefind-entry.json (null: Pagefind's own)
  var instances = {};

  /* The files a shard's Pagefind instance requests one after the other (its entry, then
   * its meta and the WebAssembly), requested at once beside pagefind.js; Pagefind's own
   * fetches then take the preloaded responses (same URLs: the entry's ?ts= is the
   * manifest's tag, Pagefind's metaCacheTag). */
  var preloaded = {};
  function prefetch(manifest, shard) {
    if (!manifest.entry || !shard.meta) return;       // an older bundle: Pagefind asks in turn
    ["pagefind-entry.json?ts=" + manifest.entry, "wasm.unknown.pagefind", "pagefind." + shard.meta + ".pf_meta"]
      .forEach(function (file) {
        if (preloaded[file]) return;
        preloaded[file] = true;
        var link = document.createElement("link");
        link.rel = "preload";
        link.as = "fetch";
        link.crossOrigin = "anonymous";
        link.href = new URL(file, BUNDLE).href;
        document.head.appendChild(link);
      });
  }

  function loadModule() {
    if (!modulePromise) modulePromise = import(new URL("pagefind.js", BUNDLE).href);
    return modulePromise;
  }

  function loadManifest() {
    if (!manifestPromise) {
      // Revalidated, never taken from the HTTP cache as it is: the manifest names the bundle's
      // content-hashed files, which a new build removes. A server that sends no Cache-Control
      // (Python's, nginx's default) lets a browser keep it "fresh" for a tenth of its age, so a
      // reader (or the preview, seconds after a save) would ask for files that are gone.
      manifestPromise = fetch(new URL("newsroom-shards.json", BUNDLE).href, { cache: "no-cache" }).then(function (r) {
        if (!r.ok) throw new Error("search manifest: HTTP " + r.status);
        return r.json();
      }).then(function (manifest) {
        entryTag = manifest.entry || null;
        return manifest;
      });
    }
    return manifestPromise;
  }

  /* One Pagefind instance per shard. Each shard is a Pagefind "language" of the
   * one bundle, so all share pagefind.js, its worker and the WebAssembly file.
   * pagefind.js 1.5.2 takes an instance's language from <html lang> when the
   * instance is created; a shard key (nr2021) is no BCP 47 tag, so Pagefind
   * also leaves the query unsegmented (our phrases stay whole). */
  /* One Pagefind call at a time: instances share one WebAssembly memory, and
   * concurrent searches in different instances corrupted it ("memory access
   * out of bounds") in pagefind 1.5.2. */
  var lock = Promise.resolve();
  function serial(fn) {
    var p = lock.then(fn);
    lock = p.catch(function () {});
    return p;
  }

  function shardInstance(mod, key) {
    if (!instances[key]) {
      // Created and initialised inside the lock: an instance initialising while
      // another searches also corrupted the shared memory. An empty search
      // resolves once the instance is ready, without loading any index chunk.
      instances[key] = serial(function () {
        var html = document.documentElement;
        var lang = html.getAttribute("lang");
        var inst;
        html.setAttribute("lang", key);
        try {
          // noWorker: Pagefind's worker would cost a query its 41 KB script and one more
          // round trip; on this page the main thread has nothing else to do.
          inst = mod.createInstance({ basePath: BUNDLE.pathname, excerptLength: 0, noWorker: true,
                                      metaCacheTag: entryTag });
        } finally {
          if (lang === null) html.removeAttribute("lang"); else html.setAttribute("lang", lang);
        }
        return inst.search("").then(function () { return inst; });
      });
    }
    return instances[key];
  }

  /* Search one shard: every word must match (AND); returns [{result, score}]. In the shard
   * that also holds the named entities (brands, workers, topics), opts.entities searches
   * those, and otherwise the articles beside them (the type filter tells them apart). */
  function searchShard(mod, shard, words, opts) {
    var options = shardOptions(shard, opts);
    return shardInstance(mod, shard.key).then(function (inst) {
      return preload(inst, words, options).then(function () {
        return Promise.all(words.map(function (w) { return serial(function () { return inst.search(phraseOf(w), options); }); }));
      });
    })
      .then(function (responses) {
        var first = responses[0].results;
        var keep = {};
        first.forEach(function (r) { keep[r.id] = r.score; });
        for (var i = 1; i < responses.length; i++) {
          var here = {};
          responses[i].results.forEach(function (r) { if (r.id in keep) here[r.id] = keep[r.id] + r.score; });
          keep = here;
        }
        var out = first.filter(function (r) { return r.id in keep; })
          .map(function (r) { return { result: r, score: keep[r.id], shard: shard }; });
        if (!options.sort) out.sort(function (a, b) { return b.score - a.score; });
        return out;
      });
  }

  /* Pagefind's options for one shard: the filters the page asks for, the sort */
  function shardOptions(shard, opts) {
    var filters = {};
    if (shard.entities) filters.type = opts.entities ? { any: shard.entities.kinds } : { none: shard.entities.kinds };
    if (opts.brand) filters.brand = opts.brand;
    if (opts.region) filters.region = opts.region;
    if (opts.ban) filters.ban = opts.ban;           // 版名: articles that appeared on such a print page
    if (opts.category) filters.category = opts.category;     // notices' 类别: only notices have it
    var options = { filters: filters };
    if (opts.sort === "date" && shard.year) options.sort = { date: "desc" };
    return options;
  }

  /* Every word's index and filter chunks at once (one round trip, as Pagefind loads one
   * phrase's chunks); the words are then searched one by one from memory. */
  function preload(inst, words, options) {
    return serial(function () {
      return Promise.all(words.map(function (w) { return inst.preload(phraseOf(w), options); }));
    });
  }

  /* Which shards a query searches: the articles' (newest first, or one year) and the named
   * entities' (unless a filter only articles have is set). mod is null when some word is
   * in no shard: then nothing of Pagefind is loaded. */
  function locate(words, opts) {
    return loadManifest().then(function (manifest) {
      return routeShards(manifest, words).then(function (mask) {
        var shards = manifest.shards.filter(function (s, i) { return (mask >> BigInt(i)) & 1n; });
        if (!shards.length) return { mod: null, years: [], ent: null };
        var years = opts.year ? shards.filter(function (s) { return String(s.year) === String(opts.year); })
          : shards.filter(function (s) { return s.year; });
        var ent = (!opts.year && !opts.brand && !opts.ban && !opts.category) ?
          shards.filter(function (s) { return s.entities; })[0] || null : null;
        if (ent || years[0]) prefetch(manifest, ent || years[0]);
        return loadModule().then(function (mod) { return { mod: mod, years: years, ent: ent }; });
      });
    });
  }

  /* The results page's query, started while the page still loads (search.js runs from
   * <head>, async): the manifest, routes, pagefind.js, the first shard's instance and its
   * chunks, in the order Run.start needs them; Run.start finds each under way (cached). */
  function warm(opts) {
    var words = queryWords(opts.q);
    if (!words.length) return;
    loadBuckets(ROUTES, words).catch(function () {});    // beside the manifest
    locate(words, opts).then(function (where) {
      var first = where.ent || where.years[0];
      if (!where.mod || !first) return null;
      var options = shardOptions(first, where.ent ? { region: opts.region, entities: true } : opts);
      return shardInstance(where.mod, first.key).then(function (inst) { return preload(inst, words, options); });
    }).catch(function () {});        // Run.start meets the same error and shows it
  }

  // ------------------------------------------------------------ rendering helpers
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function highlight(text, words) {
    var sorted = words.slice().sort(function (a, b) { return b.length - a.length; });
    var pattern = sorted.map(function (w) { return w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }).join("|");
    if (!pattern) return esc(text);
    var re = new RegExp(pattern, "giu");
    var out = "", last = 0, m;
    var norm = normalize(text);
    // NFKC can change lengths; only highlight when it does not.
    if (norm.length !== text.length) return esc(text);
    while ((m = re.exec(norm)) !== null) {
      out += esc(text.slice(last, m.index)) + "<mark>" + esc(text.slice(m.index, m.index + m[0].length)) + "</mark>";
      last = m.index + m[0].length;
      if (m[0].length === 0) re.lastIndex++;
    }
    return out + esc(text.slice(last));
  }

  /* The record's parts (search.py: record_text): headline, prose, metadata. Excerpts
   * come from the prose only; the metadata is searched but never shown. */
  var SECTION = "\ue000";
  function sections(text) {
    var parts = text.split(SECTION).map(function (p) { return p.replace(/^\s+|\s+$/g, ""); });
    return { head: parts[0] || "", prose: parts.length > 1 ? parts[1] : parts[0] || "", meta: parts[2] || "" };
  }

  /* The index keeps text NFKC-normalized, which turns Chinese full-width punctuation
   * into ASCII (，→ ,). Beside Chinese text it is turned back, as the article wrote it;
   * elsewhere (9:30, e.g.) it stays. One character for one: highlight positions hold. */
  var FULL = { ",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）" };
  var CJK_SIDE = new RegExp("[" + CJK + "\u3000-\u303f\u2018-\u201d\uff01-\uff5e\u2026\u2014]", "u");
  function chinesePunctuation(text) {
    var chars = Array.from(text);
    for (var i = 0; i < chars.length; i++) {    // left to right: "）!" sees the converted "）"
      var c = chars[i];
      if (FULL[c] && (CJK_SIDE.test(chars[i - 1] || "") || CJK_SIDE.test(chars[i + 1] || ""))) chars[i] = FULL[c];
    }
    return chars.join("");
  }

  /* 2022-12-28 -> 2022年12月28日, as every other page shows dates */
  function zhDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(iso));
    return m ? m[1] + "年" + Number(m[2]) + "月" + Number(m[3]) + "日" : String(iso);
  }

  /* Paragraphs of the excerpt run on: no gap after a Chinese sentence's end, a space otherwise */
  function joinLines(text) {
    return text.replace(/\s*\n\s*/g, function (m, at) {
      return /[。！？”』」…：；]/.test(text.charAt(at - 1)) ? "" : " ";
    });
  }

  function excerpt(text, words, size) {
    var norm = normalize(text);
    var at = -1;
    words.forEach(function (w) {
      var i = norm.indexOf(w);
      if (i >= 0 && (at < 0 || i < at)) at = i;
    });
    if (at < 0) at = 0;
    var start = Math.max(0, at - Math.floor(size / 3));
    var end = Math.min(text.length, start + size);
    var piece = joinLines(text.slice(start, end));
    return (start > 0 ? "…" : "") + highlight(piece, words) + (end < text.length ? "…" : "");
  }

  function hrefOf(rawUrl) {
    return new URL(String(rawUrl).replace(/^\/+/, ""), ROOT).href;
  }

  var KIND = { article: "新闻", brand: "工会品牌", worker: "劳模工匠", notice: "通知公告", topic: "专题" };

  function card(data, text, words) {
    var meta = data.meta || {};
    var kind = meta.type || "article";
    var bits = [];
    if (kind !== "article") bits.push('<span class="nr-sr-kind">' + esc(KIND[kind] || kind) + "</span>");
    if (meta.date) bits.push('<time datetime="' + esc(meta.date) + '">' + esc(zhDate(meta.date)) + "</time>");
    if (meta.brands && kind === "article") bits.push('<span class="nr-sr-brands">' + esc(meta.brands) + "</span>");
    if (meta.region) bits.push('<span class="nr-sr-region">' + esc(meta.region) + "</span>");
    if (meta.category) bits.push('<span class="nr-sr-category">' + esc(meta.category) + "</span>");
    if (meta.ban) bits.push('<span class="nr-sr-ban">见报 ' + esc(meta.ban) + "版</span>");
    var prose = chinesePunctuation(sections(text).prose);
    return '<li class="nr-sr nr-sr--' + esc(kind) + '" data-search-result data-kind="' + esc(kind) + '">' +
      '<a class="nr-sr-title" href="' + esc(hrefOf(data.raw_url || data.url)) + '">' + highlight(meta.title || "", words) + "</a>" +
      '<div class="nr-sr-meta">' + bits.join(" · ") + "</div>" +
      '<p class="nr-sr-excerpt">' + (prose ? excerpt(prose, words, 110) : "") + "</p></li>";
  }

  // ------------------------------------------------------------ the search run
  function Run(ui, query, opts) {
    this.ui = ui;
    this.words = queryWords(query);
    this.opts = opts;
    this.pending = [];
    this.shards = null;
    this.next = 0;
    this.shown = 0;
    this.found = 0;
    this.cancelled = false;
  }

  Run.prototype.start = function () {
    var run = this;
    var ui = this.ui;
    ui.results.setAttribute("data-search-state", "loading");
    ui.results.setAttribute("aria-busy", "true");      // screen readers read the cards once, when all are in
    ui.list.innerHTML = "";
    ui.entities.innerHTML = "";
    ui.best.innerHTML = "";
    ui.more.hidden = true;
    if (!this.words.length) {
      this.finish();
      return Promise.resolve();
    }
    ui.status.textContent = "正在搜索……";
    return locate(run.words, run.opts).then(function (where) {
      run.mod = where.mod;
      run.shards = where.years;
      if (!run.mod) return;
      var ent = where.ent;
      var entities = ent ?
        searchShard(run.mod, ent, run.words, { region: run.opts.region, entities: true })
          .then(function (hits) { return run.showEntities(hits); }) :
        Promise.resolve();
      return Promise.all([entities, run.more()]);
    }).then(function () { run.finish(); }, function (err) { run.fail(err); });
  };

  /* Fill the next batch of PAGE results, searching further shards as needed */
  Run.prototype.more = function () {
    var run = this;
    var target = this.shown + PAGE;
    var budget = SHARDS_PER_BATCH;
    function step() {
      if (run.cancelled || run.shown >= target) return Promise.resolve();
      if (run.pending.length === 0) {
        if (run.next >= run.shards.length || budget-- <= 0) return Promise.resolve();
        var shard = run.shards[run.next++];
        return searchShard(run.mod, shard, run.words, run.opts).then(function (hits) {
          run.found += hits.length;
          run.pending = run.pending.concat(hits);
          return step();
        });
      }
      var batch = run.pending.splice(0, Math.min(PARALLEL, target - run.shown));
      return run.showInOrder(batch.map(function (h) { return h.result.data(); })).then(step);
    }
    return step();
  };

  /* The batch's cards, each shown as soon as its fragment and those before it have come
   * (the order kept): the first results do not wait for the batch's slowest fragment. */
  Run.prototype.showInOrder = function (loads) {
    var run = this;
    loads.forEach(function (load) { load.catch(function () {}); });   // the chain reports the first failure
    return loads.reduce(function (prev, load) {
      return prev.then(function () { return load; }).then(function (d) {
        if (run.cancelled) return;
        var text = decode(d.content || "");
        var norm = normalize(text);
        if (!run.words.every(function (w) { return norm.indexOf(w) >= 0; })) { run.found--; return; }
        run.ui.list.insertAdjacentHTML("beforeend", card(d, text, run.words));
        run.shown++;
      });
    }, Promise.resolve());
  };

  Run.prototype.searchedLabel = function () {
    var done = this.shards.slice(0, this.next);
    if (!done.length) return "";
    var a = done[done.length - 1].label, b = done[0].label;
    return a === b ? a : a + "至" + b;
  };

  Run.prototype.exhausted = function () {
    return !this.shards || (this.pending.length === 0 && this.next >= this.shards.length);
  };

  Run.prototype.showEntities = function (hits) {
    var run = this;
    // Fragments are fetched and parsed in JavaScript (no WebAssembly): outside the lock,
    // so the articles' search runs while the entities' fragments load.
    return Promise.all(hits.slice(0, ENTITIES).map(function (h) { return h.result.data(); })).then(function (datas) {
      if (run.cancelled) return;
      var whole = normalize(run.words.join(""));
      var best = "", rest = "";
      datas.forEach(function (d) {
        var text = decode(d.content || "");
        var norm = normalize(text);
        if (!run.words.every(function (w) { return norm.indexOf(w) >= 0; })) return;
        var html = card(d, text, run.words);
        if (normalize((d.meta || {}).title || "") === whole) best += html; else rest += html;
        run.entityCount = (run.entityCount || 0) + 1;
      });
      run.ui.best.innerHTML = best;
      if (rest) {
        run.ui.entities.innerHTML = '<h2 class="nr-sr-heading">相关品牌、人物与专题</h2><ol class="nr-sr-list">' + rest + "</ol>";
      }
    });
  };

  Run.prototype.finish = function () {
    if (this.cancelled) return;
    var ui = this.ui;
    var total = this.shown + (this.entityCount || 0);
    if (!this.words.length) {
      ui.status.textContent = "请输入要搜索的词语。";
    } else if (total === 0 && this.exhausted()) {
      ui.status.innerHTML = "没有找到包含“" + esc(this.words.join(" ")) + "”的内容。请换个词，或减少词语、去掉筛选条件再试。";
    } else if (total === 0) {
      ui.status.innerHTML = "最近的" + esc(this.searchedLabel()) + "没有找到包含“" + esc(this.words.join(" ")) + "”的内容，点“更多结果”搜索更早的年份。";
    } else if (this.exhausted()) {
      ui.status.textContent = "找到 " + this.shown + " 篇新闻和通知" + (this.entityCount ? "，" + this.entityCount + " 个品牌、人物与专题" : "") + "。";
    } else {
      ui.status.textContent = "已显示最新的 " + this.shown + " 篇新闻和通知，点“更多结果”继续搜索更早的年份。";
    }
    ui.more.hidden = this.exhausted();
    ui.results.setAttribute("data-search-state", "done");
    ui.results.setAttribute("aria-busy", "false");
    ui.results.setAttribute("data-search-count", String(this.shown));
  };

  Run.prototype.fail = function (err) {
    if (this.cancelled) return;
    if (window.console) console.error("search failed", err);
    this.ui.status.textContent = "搜索出错了，请稍后再试。";
    this.ui.results.setAttribute("data-search-state", "error");
    this.ui.results.setAttribute("aria-busy", "false");
  };

  // ------------------------------------------------------------ the page
  var PARAMS = ["q", "brand", "region", "year", "category", "ban", "sort"];   // the form's fields, as the URL has them
  function readParams() {
    var p = new URLSearchParams(location.search);
    return { q: p.get("q") || "", brand: p.get("brand") || "", region: p.get("region") || "",
             year: p.get("year") || "", category: p.get("category") || "", ban: p.get("ban") || "", sort: p.get("sort") || "" };
  }

  function setupPage(results) {
    var form = document.querySelector("[data-search-form]");
    var ui = {
      results: results,
      status: results.querySelector("[data-search-status]"),
      best: results.querySelector("[data-search-best]"),
      list: results.querySelector("[data-search-list]"),
      more: results.querySelector("[data-search-more]"),
      entities: results.querySelector("[data-search-entities]")
    };
    var current = null;

    function fill(params) {
      if (!form) return;
      PARAMS.forEach(function (k) {
        var el = form.elements[k];
        if (el) el.value = params[k];
      });
    }

    function go(params) {
      if (current) current.cancelled = true;
      fill(params);
      var boxes = document.querySelectorAll("[data-search-box] input[name=q]");
      Array.prototype.forEach.call(boxes, function (b) { b.value = params.q; });
      if (params.q) document.title = params.q + " - 搜索 - " + (document.title.split(" - ").pop() || "");
      current = new Run(ui, params.q, params);
      return current.start();
    }

    ui.more.addEventListener("click", function () {
      if (!current) return;
      var run = current;
      ui.results.setAttribute("data-search-state", "loading");
      ui.results.setAttribute("aria-busy", "true");
      ui.more.disabled = true;
      run.more().then(function () { ui.more.disabled = false; run.finish(); }, function (e) { run.fail(e); });
    });

    function submitted(ev) {
      ev.preventDefault();
      var source = ev.target;
      var params = readParams();
      if (source === form) {
        params = {};
        PARAMS.forEach(function (k) {
          params[k] = form.elements[k] ? form.elements[k].value.trim() : "";
        });
      } else {
        params = { q: source.elements.q.value.trim(), brand: "", region: "", year: "", category: "", ban: "", sort: "" };
      }
      var qs = new URLSearchParams();
      Object.keys(params).forEach(function (k) { if (params[k]) qs.set(k, params[k]); });
      history.pushState(null, "", "?" + qs.toString());
      go(params);
    }

    if (form) {
      form.addEventListener("submit", submitted);
      Array.prototype.forEach.call(form.querySelectorAll("select"), function (s) {
        s.addEventListener("change", function () { form.requestSubmit ? form.requestSubmit() : form.submit(); });
      });
    }
    Array.prototype.forEach.call(document.querySelectorAll("[data-search-box]"), function (box) {
      box.addEventListener("submit", submitted);
    });
    window.addEventListener("popstate", function () { go(readParams()); });
    go(readParams());
  }

  function init() {
    var results = document.querySelector("[data-search-results]");
    if (results) setupPage(results);
    // Elsewhere the header box is a plain GET form to /search/: nothing is loaded here.
  }

  window.newsroomSearch = { tokens: tokens, decode: decode, phraseOf: phraseOf, queryWords: queryWords,
                            sections: sections, chinesePunctuation: chinesePunctuation, zhDate: zhDate };
  if (location.pathname === new URL("search/", ROOT).pathname) warm(readParams());
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
