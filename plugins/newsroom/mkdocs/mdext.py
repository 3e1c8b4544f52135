"""Python-Markdown extension: images in article bodies load like the theme's.

Every ``<img>`` written in Markdown (``![说明](../images/x.jpg)``) gets

- ``width`` and ``height``: the file's own size (``images.image_size``), so the
  page does not jump when the image arrives (CSS scales it: ``max-width: 100%;
  height: auto``); attributes an editor wrote herself are kept;
- ``loading="lazy"`` and ``decoding="async"`` (body images are below the
  headline, the lead image and the first paragraph);
- ``sizes="(min-width: 45em) 38em, 100vw"`` when it has a ``srcset``.

It also passes the finished HTML through the allow-list (``sanitize.clean_html``),
after every other postprocessor has put raw HTML back: no script, event handler,
style or ``javascript:`` link from a paste reaches the page or the feeds.

Enabled in ``site_config.yml`` (``markdown_extensions: - newsroom.mkdocs.mdext``; the old name
``newsroom.mdext`` still works).
Under MkDocs the image file is found through the page's own ``relpath``
tree processor (its ``file`` and ``files``), which runs after this one
(priority 0 < 5), while ``src`` is still the path written in Markdown. Without
MkDocs, or for remote images, only the loading attributes are added.
"""
from __future__ import annotations

import posixpath
from typing import Any, Callable, Optional
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element, SubElement

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor
from mkdocs.utils import get_relative_url

from ..content.images import image_size
from ..content.sanitize import clean_html

SIZES = "(min-width: 45em) 38em, 100vw"


# The build's rendered photos (content/photo_refs.PhotoSet), set by the plugin: MkDocs makes
# this extension anew for free pages, so the set cannot be handed to an instance.
_photos: Callable[[], Any] = lambda: None   # noqa: E731


def use_photos(provider: Callable[[], Any]) -> None:
    global _photos
    _photos = provider


class ImageAttrs(Treeprocessor):
    def run(self, root: Element) -> None:
        parents = {child: parent for parent in root.iter() for child in parent}
        for img in list(root.iter("img")):
            target = self.target_of(img.get("src", ""))
            if target and not img.get("srcset") and self.picture(img, target, parents.get(img)):
                continue
            if "width" not in img.attrib and "height" not in img.attrib:
                size = self.size_of(target)
                if size:
                    img.set("width", str(size[0]))
                    img.set("height", str(size[1]))
            img.attrib.setdefault("loading", "lazy")
            img.attrib.setdefault("decoding", "async")
            if img.get("srcset") and not img.get("sizes"):
                img.set("sizes", SIZES)

    def picture(self, img: Element, target: tuple[Any, Any, str], parent: Optional[Element]) -> bool:
        """Replace a body photo by its <picture> (the variants of photos' body slot)."""
        page_file, files, path = target
        photo_set = _photos()
        pic = photo_set.picture(path, "body") if photo_set is not None and parent is not None else None
        if pic is None:
            return False
        here = posixpath.dirname(page_file.src_uri)

        def srcset(source) -> str:
            return ", ".join(f"{get_relative_url(v.url, page_file.url)} {v.width}w" for v in source.variants)

        picture = Element("picture")
        for source in pic.modern:
            SubElement(picture, "source", {"type": source.type, "srcset": srcset(source), "sizes": pic.sizes})
        # src relative to the Markdown file, like the editor's: MkDocs' relpath rewrites it.
        img.set("src", posixpath.relpath(pic.src.url, here or "."))
        img.set("srcset", srcset(pic.fallback))
        img.set("sizes", pic.sizes)
        if "width" not in img.attrib and "height" not in img.attrib:
            img.set("width", str(pic.width))
            img.set("height", str(pic.height))
        img.attrib.setdefault("loading", "lazy")
        img.attrib.setdefault("decoding", "async")
        index = list(parent).index(img)
        parent.remove(img)
        picture.append(img)
        picture.tail, img.tail = img.tail, None
        parent.insert(index, picture)
        return True

    def target_of(self, src: str) -> Optional[tuple[Any, Any, str]]:
        """(page file, files, path under the docs folder) of a local image, under MkDocs."""
        parts = urlsplit(src)
        if parts.scheme or parts.netloc or not parts.path:
            return None
        relpath = self.md.treeprocessors["relpath"] if "relpath" in self.md.treeprocessors else None
        page_file = getattr(relpath, "file", None)
        files = getattr(relpath, "files", None)
        if page_file is None or files is None:
            return None
        path = unquote(parts.path)
        if path.startswith("/"):
            target = path.lstrip("/")
        else:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page_file.src_uri), path))
        return page_file, files, target

    @staticmethod
    def size_of(target: Optional[tuple[Any, Any, str]]) -> Optional[tuple[int, int]]:
        if target is None:
            return None
        found = target[1].get_file_from_path(target[2])
        if found is None or not found.abs_src_path:
            return None
        return image_size(found.abs_src_path)


class CleanHtml(Postprocessor):
    def run(self, text: str) -> str:
        return clean_html(text)


class NewsroomImages(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(ImageAttrs(md), "newsroom_images", 5)
        # Lowest priority: runs last, once raw HTML (30) and footnotes (25) are in place.
        md.postprocessors.register(CleanHtml(md), "newsroom_clean", -100)


def makeExtension(**kwargs) -> NewsroomImages:
    return NewsroomImages(**kwargs)


__all__ = ["NewsroomImages", "ImageAttrs", "CleanHtml", "makeExtension", "use_photos"]
