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
    """The primary image, rotated as its HEIF transforms say, in sRGB, as a libvips image.
    libvips wraps pillow-heif's decoded buffer without copying it (a 48-MP iPhone photo is
    144 MB decoded; Pillow's convert + tobytes would hold it three times, ~710 MB measured)."""
    if not available():
        raise HeifUnavailable(path)
    import pillow_heif

    decoded = pillow_heif.open_heif(path, convert_hdr_to_8bit=True)
    bands = len(decoded.mode)
    width, height = decoded.size
    if decoded.mode not in ("RGB", "RGBA") or decoded.stride % bands:
        raise ValueError(f"unexpected HEIF layout {decoded.mode} stride {decoded.stride}")
    # rows may be padded: wrap the padded width, then crop the padding off
    img = pyvips.Image.new_from_memory(decoded.data, decoded.stride // bands, height, bands,
                                       "uchar").crop(0, 0, width, height)
    img = img.copy(interpretation="srgb")
    icc = decoded.info.get("icc_profile")
    if icc:                                    # iPhones shoot Display P3
        img.set_type(pyvips.GValue.blob_type, "icc-profile-data", icc)
        img = img.icc_transform("srgb", embedded=True)
    return img
