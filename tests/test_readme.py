"""The README stays true: every command and option of the CLI is in it."""

from __future__ import annotations

import argparse
from pathlib import Path

from policygraph.cli import build_parser

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _commands(parser: argparse.ArgumentParser, prefix: str = "policygraph"):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield f"{prefix} {name}", sub
                yield from _commands(sub, f"{prefix} {name}")


def test_every_command_and_option_is_documented():
    missing = []
    for command, parser in _commands(build_parser()):
        if command not in README:
            missing.append(command)
        for action in parser._actions:
            for option in action.option_strings:
                if option.startswith("--") and option != "--help" and option not in README:
                    missing.append(f"{command} {option}")
    assert not missing, missing
