"""The editors' commands: newsroom build / serve / check / new, and publishing."""
