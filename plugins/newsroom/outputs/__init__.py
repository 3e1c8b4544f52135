"""Outputs: files written beside the pages (feeds, sitemaps) and page head metadata."""
