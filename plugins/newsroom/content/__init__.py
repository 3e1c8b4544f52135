"""Content: reading and checking the editors' files into one content graph."""
