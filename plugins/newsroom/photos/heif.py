"""HEIC (iPhone) photos: libvips in pyvips-binary reads their header but has no HEVC decoder
(patents), so the pixels come from pillow-heif when it is installed; otherwise the editor is
told to export a JPEG. AVIF, the other HEIF flavour, libvips decodes itself."""
from __future__ import annotations

import importlib.util

import pyvips


class HeifUnavailable(Exception):
    """A HEVC-coded HEIF and no pillow-heif to decode it."""


def available() -> bool:
    return importlib.util.find_spec("pillow_heif") is not None


def load(path: str) -> pyvips.Image:
    """The primary image, rotated as its HEIF transforms say, in sRGB, as a libvips image."""
    if not available():
        raise HeifUnavailable(path)
    import pillow_heif
    from PIL import Image

    pillow_heif.register_heif_opener()
    with Image.open(path) as im:
        icc = im.info.get("icc_profile")
        im = im.convert("RGBA" if "A" in im.mode else "RGB")
        img = pyvips.Image.new_from_memory(im.tobytes(), im.width, im.height,
                                           len(im.mode), "uchar")
    img = img.copy(interpretation="srgb")
    if icc:                                    # iPhones shoot Display P3
        img.set_type(pyvips.GValue.blob_type, "icc-profile-data", icc)
        img = img.icc_transform("srgb", embedded=True)
    return img
