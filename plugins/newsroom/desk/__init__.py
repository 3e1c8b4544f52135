"""The web desk (编辑台, issue 17): Decap CMS served from package data, its ``config.yml``
generated from the content field tables, and Decap's local-backend protocol answered
in-process on loopback (docs/desk.md).

This package sits beside ``newsroom.mkdocs`` in the layers: it reads ``content`` and
``core`` and never imports MkDocs; ``newsroom.app`` starts it (``newsroom desk``).
"""
