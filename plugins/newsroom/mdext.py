"""Old name of ``newsroom.mkdocs.mdext``: site_config.yml files that list ``newsroom.mdext`` still load."""
from .mkdocs.mdext import CleanHtml, ImageAttrs, NewsroomImages, makeExtension

__all__ = ["CleanHtml", "ImageAttrs", "NewsroomImages", "makeExtension"]
