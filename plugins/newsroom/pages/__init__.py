"""Pages: every generated page as a PageSpec, with its text, related articles and charts."""
