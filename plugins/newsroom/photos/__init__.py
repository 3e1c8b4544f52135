"""Photo engine (issue 13): responsive variants, metadata stripped, content-hash cache.

No MkDocs here and no other newsroom module: the build, the preview server, the validator and
the templates call this API (docs/photos.md, "Integration plan").
"""
from .cache import DEFAULT_ROOT, CachedFile, VariantCache, usable_root
from .engine import ENGINE_VERSION, PhotoJob, PhotoResult, process, public_name, same_plan, settings_key
from .focus import CENTRE, crop_window, parse_focus
from .ladder import FEED_WIDTH, OG_SIZE, QUALITY, SLOTS, Slot, plan_formats, plan_widths
from .notices import ERROR, WARNING, Notice
from .pool import Batch, MemoryGate, process_all, start_all

__all__ = [
    "Batch", "CENTRE", "DEFAULT_ROOT", "ENGINE_VERSION", "ERROR", "FEED_WIDTH", "OG_SIZE", "QUALITY",
    "SLOTS", "WARNING", "CachedFile", "MemoryGate", "Notice", "PhotoJob", "PhotoResult", "Slot",
    "VariantCache", "crop_window", "parse_focus", "plan_formats", "plan_widths", "process",
    "process_all", "public_name", "same_plan", "settings_key", "start_all", "usable_root",
]
