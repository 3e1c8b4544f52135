"""Findings about a photo as plain data: the validator turns them into problems.Problem
(it knows the Markdown line that referenced the image; the engine does not)."""
from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"       # same strings as problems.ERROR / problems.WARNING
WARNING = "warning"


@dataclass(frozen=True)
class Notice:
    path: str         # the image as the editor knows it
    message: str      # Chinese, for editors
    hint: str = ""
    level: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.level == ERROR


def unreadable(path: str) -> Notice:
    return Notice(path, "图片文件已损坏或不是图片，无法处理",
                  "请重新从相机或电脑导出这张图片后再上传")


def unsupported(path: str, what: str) -> Notice:
    return Notice(path, f"不支持这种图片格式（{what}）", "请另存为 JPEG 或 PNG 后再上传")


def heic_unavailable(path: str) -> Notice:
    return Notice(path, "这是苹果手机的 HEIC 照片，本机的图片库不能读取",
                  "请在手机上把照片导出为 JPEG（“最兼容”格式）后再上传")


def too_narrow(path: str, width: int, slot_width: int) -> Notice:
    return Notice(path, f"头图只有 {width} 像素宽，窄于版面的 {slot_width} 像素，显示会发虚",
                  f"请换一张至少 {slot_width} 像素宽的原图", WARNING)


def cache_unwritable(path: str, why: str) -> Notice:
    return Notice(path, f"图片处理结果无法写入缓存文件夹（{why}）",
                  "请检查磁盘空间和 .cache/newsroom/photos 文件夹的写入权限后重新生成网站")
