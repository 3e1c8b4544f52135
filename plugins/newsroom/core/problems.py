"""Problems found in editors' files: the one shape every check reports in."""
from __future__ import annotations

from dataclasses import asdict, dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    path: str           # as the editor knows it: content/news/2021/x.md
    line: int
    message: str        # Chinese, for editors
    hint: str = ""      # the fix, when one is obvious
    level: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.level == ERROR

    def format(self) -> str:
        label = "" if self.is_error else "警告："
        text = f"{self.path}:{self.line}: {label}{self.message}"
        return f"{text}（{self.hint}）" if self.hint else text

    def as_dict(self) -> dict:
        return asdict(self)


def sort_problems(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.path, p.line, p.message))


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]


def format_report(problems: list[Problem]) -> str:
    errs = len(errors(problems))
    warns = len(problems) - errs
    lines = [p.format() for p in sort_problems(problems)]
    lines.append(f"共 {errs} 个错误，{warns} 个警告。")
    return "\n".join(lines)


class CliError(Exception):
    """A problem with the command itself (missing folder, bad config): said in Chinese."""




def short(value: object, limit: int = 40) -> str:
    """A value quoted back to the editor, cut so one bad line cannot flood the report."""
    text = value if isinstance(value, str) else str(type(value).__name__)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


