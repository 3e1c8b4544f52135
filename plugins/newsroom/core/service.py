"""The site's service block and identity, from ``extra:`` in site_config.yml.

```yaml
extra:
  service:                              # 服务热线: the footer and the home page
    - name: 职工服务热线
      phone: "12351"
      note: 维权帮扶、法律咨询            # optional
  site_code: "3306210001"               # 党政机关/群团网站标识码: the footer
```

``read_identity`` gives the values and, for each mistake, the setting it is at and a
Chinese sentence (mkdocs/config_check.py turns them into ``path:line`` problems). The
build never starts with a bad value, so templates trust what they are given.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from collections.abc import Mapping
from typing import Any, NamedTuple

SERVICE_KEY = "service"
SITE_CODE_KEY = "site_code"
_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]*$")
_SITE_CODE = re.compile(r"^[0-9]{6,20}$")


@dataclass(frozen=True)
class ServiceLine:
    """One number readers can call: 职工服务热线 12351."""

    name: str
    phone: str                      # as written: 0575-84000000
    note: str = ""

    @property
    def tel(self) -> str:
        """The ``tel:`` link's number: digits and a leading +, nothing else."""
        return ("+" if self.phone.startswith("+") else "") + re.sub(r"\D", "", self.phone)


@dataclass(frozen=True)
class SiteIdentity:
    service: tuple[ServiceLine, ...] = ()
    site_code: str = ""             # 网站标识码


class Mistake(NamedTuple):
    key: str                        # the setting whose line is shown: service, name, phone, site_code
    value: str                      # the value written on that line ('' for the setting itself)
    message: str
    hint: str


def read_identity(extra: Any) -> tuple[SiteIdentity, list[Mistake]]:
    """The service block and site code of ``extra`` (site_config.yml), and each mistake in them."""
    extra = extra if isinstance(extra, Mapping) else {}
    mistakes: list[Mistake] = []
    lines = _service(extra.get(SERVICE_KEY), mistakes)
    return SiteIdentity(lines, _site_code(extra.get(SITE_CODE_KEY), mistakes)), mistakes


_SERVICE_HINT = "例如：\n  service:\n    - name: 职工服务热线\n      phone: \"12351\""


def _service(value: Any, mistakes: list[Mistake]) -> tuple[ServiceLine, ...]:
    if value is None or value == [] or value == "":
        return ()
    if not isinstance(value, list):
        mistakes.append(Mistake(SERVICE_KEY, "", "extra 的 service（服务热线）应是一个列表，每项写 name（名称）和 phone（电话）",
                                _SERVICE_HINT))
        return ()
    lines = []
    for item in value:
        line = _service_line(item, mistakes)
        if line is not None:
            lines.append(line)
    return tuple(lines)


def _service_line(item: Any, mistakes: list[Mistake]) -> ServiceLine | None:
    if not isinstance(item, dict):
        mistakes.append(Mistake(SERVICE_KEY, "", f"service（服务热线）的“{_shown(item)}”应写成 name 和 phone 两项",
                                _SERVICE_HINT))
        return None
    name, phone, note = (_text(item.get(k)) for k in ("name", "phone", "note"))
    if not name:
        mistakes.append(Mistake("phone" if phone else SERVICE_KEY, phone,
                                f"service（服务热线）中电话“{phone}”没有写名称（name）" if phone
                                else "service（服务热线）中有一项没有写名称（name）和电话（phone）", _SERVICE_HINT))
        return None
    if not phone:
        mistakes.append(Mistake("name", name, f"服务热线“{name}”没有写电话号码（phone）",
                                "例如 phone: \"12351\"，号码请加引号"))
        return None
    if not _PHONE.match(phone) or len(re.sub(r"\D", "", phone)) < 3:
        mistakes.append(Mistake("phone", phone, f"服务热线“{name}”的电话“{_shown(phone)}”不是电话号码",
                                "只能写数字、空格、- 和开头的 +，例如 0575-84000000 或 12351"))
        return None
    return ServiceLine(name, phone, note)


def _site_code(value: Any, mistakes: list[Mistake]) -> str:
    code = _text(value)
    if not code:
        return ""
    if not _SITE_CODE.match(code):
        mistakes.append(Mistake(SITE_CODE_KEY, "", f"extra 的 site_code（网站标识码）“{_shown(code)}”应是一串数字",
                                "请照网站标识码证书上的数字填写，加引号，例如 site_code: \"3306210001\""))
        return ""
    return code


def _text(value: Any) -> str:
    if value is None or isinstance(value, (dict, list, bool)):
        return ""
    return str(value).strip()


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"
