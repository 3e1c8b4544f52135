"""Pages: every generated page as a Page of its kind (pages/kinds/), with its text, related articles and charts."""
