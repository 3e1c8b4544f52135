"""newsroom: the static site generator for trade-union news."""
