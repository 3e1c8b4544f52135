"""Hugo's side of the photo bench: the same photos, widths and formats as our lead slot.

``convert(corpus, dst)`` turns a ``gen_corpus.py --photos`` tree into a Hugo site with
``SHARED/bench/anchors/to_hugo.py`` (the pages of ``make bench``) and then:

* hard-links every photo into ``dst/assets/images/`` (the front matter's ``image:`` path
  becomes a ``resources.Get`` path, so nothing is copied);
* adds ``[imaging] resampleFilter = "lanczos"`` to ``hugo.toml``;
* adds ``layouts/_partials/photo.html``, called by ``single.html`` under the title, which
  publishes for each lead photo what our build renders for it (``VARIANTS``): WebP q75 and
  JPEG q80 at each lead width, a 1200 px JPEG q80 (feeds) and a 1200x630 centre crop JPEG
  q80 (Open Graph). Each is ``images.AutoOrient`` then one ``images.Process``: ours applies
  the EXIF orientation too (every third bench photo is rotated), in the same pass.

Standard library only (the bench scripts run with any Python).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

LEAD_WIDTHS = (360, 720, 1080, 1600)     # photos.SLOTS["lead"].widths (a test keeps them equal)
FEED_WIDTH = 1200                        # photos.ladder.FEED_WIDTH
OG = "1200x630"                          # photos.ladder.OG_SIZE
VARIANTS = ([f"resize {w}x webp q75" for w in LEAD_WIDTHS]
            + [f"resize {w}x jpg q80" for w in LEAD_WIDTHS]
            + [f"resize {FEED_WIDTH}x jpg q80", f"fill {OG} Center jpg q80"])

PARTIAL = """{{- /* bench/photo_hugo.py: the variants our build renders for a lead photo */ -}}
{{- with .Params.image }}{{ with resources.Get . }}
{{- $src := . }}
<figure class="lead"><picture>
{{- range $spec := slice %(specs)s }}
{{- $v := $src.Filter images.AutoOrient (images.Process $spec) }}
<source data-spec="{{ $spec }}" srcset="{{ $v.RelPermalink }} {{ $v.Width }}w" width="{{ $v.Width }}" height="{{ $v.Height }}">
{{- end }}
</picture></figure>
{{- end }}{{ end }}
"""


def convert(corpus: Path, dst: Path, to_hugo: Path) -> int:
    """Convert ``corpus`` into the Hugo site ``dst``; returns the number of photos linked."""
    subprocess.run([sys.executable, str(to_hugo), str(corpus), str(dst)], check=True,
                   stdout=subprocess.DEVNULL)
    photos = 0
    images = corpus / "content" / "images"
    for src in sorted(images.rglob("*")) if images.is_dir() else []:
        if src.is_file():
            target = dst / "assets" / "images" / src.relative_to(images)
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(src, target)
            except OSError:                      # another file system: copy
                shutil.copy2(src, target)
            photos += 1
    with open(dst / "hugo.toml", "a", encoding="utf-8") as fh:
        fh.write('\n[imaging]\n  resampleFilter = "lanczos"\n')
    specs = " ".join(f'"{s}"' for s in VARIANTS)
    (dst / "layouts" / "_partials" / "photo.html").write_text(PARTIAL % {"specs": specs}, encoding="utf-8")
    single = dst / "layouts" / "single.html"
    text = single.read_text(encoding="utf-8")
    anchor = "<h1>{{ .Title }}</h1>"
    if anchor not in text:
        raise SystemExit(f"{single}: no {anchor!r} to put the photo under")
    single.write_text(text.replace(anchor, anchor + '\n  {{ partial "photo.html" . }}', 1), encoding="utf-8")
    return photos


def published_images(public: Path) -> int:
    """Processed images Hugo wrote (the skeleton's static files hold none)."""
    return sum(1 for p in public.rglob("*") if p.suffix in (".jpg", ".webp")) if public.exists() else 0
