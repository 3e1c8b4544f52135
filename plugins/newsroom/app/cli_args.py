"""argparse in Chinese: usage, help, and every error an editor can make on the command line.

argparse writes its own English (``usage:``, ``error: the following arguments are
required``, ``show this help message and exit``); editors read none of it. The
parser here has its own ``-h``, a Chinese ``usage`` prefix and section titles, and
translates argparse's errors, with a "did you mean" for a mistyped option or command.
"""
from __future__ import annotations

import argparse
import difflib
import re
import sys
from typing import NoReturn

HELP = "显示这份帮助"


class ChineseFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None) -> None:  # noqa: ANN001 (argparse's signature)
        # argparse also formats usage with prefix "" to name a subcommand: keep that as is.
        super().add_usage(usage, actions, groups, prefix="用法：" if prefix is None else prefix)


class ChineseParser(argparse.ArgumentParser):
    """An ArgumentParser that speaks Chinese (subparsers made by it are ChineseParsers too)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", ChineseFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=HELP)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{self._chinese(message)}\n"
                     f"（运行 {self.prog} -h 查看全部用法）\n")

    def _chinese(self, message: str) -> str:
        for pattern, say in _ERRORS:
            m = re.fullmatch(pattern, message, re.S)
            if m:
                return say(self, m)
        return message

    def option_strings(self) -> list[str]:
        """Every option of this parser and of its subcommands."""
        found: list[str] = []
        for action in self._actions:
            found += [o for o in action.option_strings if o.startswith("--")]
            if isinstance(action, argparse._SubParsersAction):
                for sub in action.choices.values():
                    found += sub.option_strings() if isinstance(sub, ChineseParser) else []
        return sorted(set(found))


def _unrecognized(parser: ChineseParser, m: re.Match) -> str:
    words = m["args"].split()
    said = f"不认识的参数：{' '.join(words)}"
    for word in words:
        if word.startswith("-"):
            close = difflib.get_close_matches(word.split("=")[0], parser.option_strings(), 1, 0.6)
            if close:
                return f"{said}（是不是 {close[0]}？）"
    return said


def _invalid_choice(parser: ChineseParser, m: re.Match) -> str:
    choices = re.findall(r"'([^']*)'", m["choices"])
    what = "命令" if m["arg"].startswith("{") else f"参数 {m['arg']} 的值"
    said = f"{what}“{m['value']}”无效，可选：{'、'.join(choices)}"
    close = difflib.get_close_matches(m["value"], choices, 1, 0.5)
    return f"{said}（是不是 {close[0]}？）" if close else said


def _names(text: str) -> str:
    return "、".join(n.strip() for n in text.split(","))


_ERRORS = [
    (r"unrecognized arguments: (?P<args>.*)", _unrecognized),
    (r"argument (?P<arg>\S+): invalid choice: '(?P<value>.*)' \(choose from (?P<choices>.*)\)",
     _invalid_choice),
    (r"the following arguments are required: (?P<names>.*)",
     lambda p, m: f"缺少参数：{_names(m['names'])}"),
    (r"argument (?P<arg>\S+): expected one argument", lambda p, m: f"参数 {m['arg']} 后面要写一个值"),
    (r"argument (?P<arg>\S+): ignored explicit argument '(?P<value>.*)'",
     lambda p, m: f"参数 {m['arg']} 后面不能写值（多了“{m['value']}”）"),
    (r"ambiguous option: (?P<arg>\S+) could match (?P<names>.*)",
     lambda p, m: f"参数 {m['arg']} 不完整，可能是：{_names(m['names'])}"),
    (r"argument (?P<arg>\S+): not allowed with argument (?P<other>\S+)",
     lambda p, m: f"参数 {m['arg']} 不能和 {m['other']} 一起用"),
]
