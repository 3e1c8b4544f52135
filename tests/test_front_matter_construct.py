"""front_matter._construct makes what the base loader's construct_document makes."""
from __future__ import annotations

import pytest
import yaml

from newsroom.content import front_matter

TEXTS = [
    "title: 标题\ndate: 2021-12-28 09:30\ntags: [一, 二]\n",
    "title: 2021\nok: no\nnull: ~\nempty:\nlist:\n  - a\n  - {b: c, d: [e, f]}\n",
    "a: &x [1, 2]\nb: *x\nc: *x\n",
    "a: &m {k: v}\nb: *m\n<<: *m\n",
    "? [a, b]\n: value\n",
    "? {a: b}\n: value\n",
    "a: &r [*r]\n",
    "a: &r {k: *r}\n",
    "a: !custom 1\nb: !!int 2\nc: !!binary aGk=\nd: !!set {x, y}\n",
    "a: 'quoted'\nb: \"dq\\tx\"\nc: |\n  block\n  text\nd: >\n  folded\n",
    "[1, 2]\n",
    "just text\n",
    "a:\n  - &i {n: 1}\n  - *i\n  - [*i, *i]\n",
    "a: 1\na: 2\n",
    "? &k key\n: *k\n",
]


def _shape(value, seen=None):
    """The value with each list or mapping met again replaced by the index it was first met at."""
    seen = {} if seen is None else seen
    if isinstance(value, (list, dict)):
        if id(value) in seen:
            return ("again", seen[id(value)])
        seen[id(value)] = len(seen)
        if isinstance(value, list):
            return [_shape(v, seen) for v in value]
        return {k: _shape(v, seen) for k, v in value.items()}
    return value


def _stock(text):
    loader = yaml.CBaseLoader(text)
    try:
        node = loader.get_single_node()
        return node, loader.construct_document(node)
    finally:
        loader.dispose()


@pytest.mark.parametrize("text", TEXTS)
def test_the_same_data_aliases_and_errors(text):
    try:
        _, want = _stock(text)
    except yaml.YAMLError as exc:
        with pytest.raises(type(exc)) as caught:
            front_matter._compose(text)
        assert str(caught.value) == str(exc)
        return
    _, got = front_matter._compose(text)
    assert got == want
    assert _shape(got) == _shape(want)


def test_every_key_of_parse_yaml_as_before(monkeypatch):
    text = "title: 标题\ntags:\n  - 一\n  - 二\nprint: {edition: 1, page: 2}\nx: &a [1]\ny: *a\n"
    ours = front_matter.parse_yaml(text, "x.md")
    monkeypatch.setattr(front_matter, "_construct", lambda node, made, open_nodes: _stock(text)[1])
    assert front_matter.parse_yaml(text, "x.md") == ours
