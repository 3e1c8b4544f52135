"""The search index: Pagefind, sharded by year, with bigram tokens for Chinese.

Started by the plugin in ``on_files`` (``IndexJob``: another process indexes
while the pages render) and joined in ``on_post_build``. Design (docs/search.md):

* Engine: Pagefind 1.5.2 (PyPI ``pagefind-bin-extended``), driven through its
  ``--service`` mode (the protocol of the official Python wrapper): we add one
  *custom record* per article, brand and worker page, built from the content
  graph, so the index does not depend on the theme's markup.
* Tokens: the indexed text is written as overlapping character bigrams for
  Chinese runs (``疫情防控`` -> ``疫情 情防 防控``) and whole words for Latin
  letters and digits (``tokens``; ``search.js`` has the same function). The
  browser sends each query word as an exact phrase of its bigrams, so a page
  matches exactly when it contains the word: no dictionary, so index and
  query can never disagree, and there is no fallback to shorter prefixes.
* Shards: each year of articles is its own Pagefind "language" (a year bigger
  than ``SHARD_MAX`` is split into month ranges); brands, workers and topics are
  records of the newest shard (one index chunk per query token, not two);
  all live in one bundle ``pagefind/`` sharing one WebAssembly file. The
  browser searches the newest shard first and stops once a page of results
  is full, so a word that is in every article costs one year's postings.
* ``pagefind/newsroom-shards.json`` lists the shards for ``search.js``;
  ``pagefind/newsroom-routes/`` maps each token to the shards holding it, so
  the browser skips shards that cannot match (and answers a word that is
  nowhere without loading Pagefind at all).
* Reuse: each shard's digest (of exactly what Pagefind is given for it) is
  kept in the manifest. Given the bundle of an earlier build (``reuse_from``),
  a shard whose digest is unchanged is linked from it instead of indexed again:
  the live preview re-indexes only the shards a save touched, and a build over
  a published site only the years that changed.
"""
from __future__ import annotations

# What the plugin, the preview and the command line use.
from .bundle import BUNDLE, index_site
from .indexer import IndexJob, start_index
from .pagefind import SearchIndexError
from .token_texts import FILE as TOKEN_TEXTS

__all__ = ["BUNDLE", "IndexJob", "SearchIndexError", "TOKEN_TEXTS", "index_site", "start_index"]
