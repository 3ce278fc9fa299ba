"""The README and docs/ against the code, so that what they say cannot rot unnoticed.

- The README opens with two fenced commands: the app's (the virtualenv ``scripts/test.sh`` makes,
  ``requirements.txt``, which ``requirements-test.txt`` includes, and ``streamlit_app.py``) and the
  tests' (exactly the command ``.ci/run`` runs).
- Every ``python -m screener ...`` in a fenced shell block or an inline code span names commands and
  options the command line has: each is looked up in the real ``--help`` of that (sub)command (every
  one read in a single subprocess, and one compared with a real ``--help`` run), so a command
  documented ahead of its code fails until the code exists.
- The fenced commands that can run offline without a database (``assess``, ``pdf``, ``rules``,
  ``handout``, ``fhir``, ``from-fhir``, ``i18n check``) are run, in a scratch folder holding an
  ``intake.json`` and a ``response.json``, and must exit 0.
- Every path into the repository (a name under one of its top-level folders, or a file at its top)
  and every ``test_*.py`` named exists; every ``screener.x.y`` or ``app.x.y`` named imports.
- Every ``SCREENER_*`` variable the pages name is read by the code, and every one the code reads
  has a row in docs/deployment.md's table.
- No command hides from these checks in an indented (unfenced) block.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SHELL_LANGUAGES = {"sh", "bash", "shell", "console"}
# The commands run for real: they need no database, no network and no terminal.
RUNNABLE = {("assess",), ("pdf",), ("rules",), ("handout",), ("fhir",), ("from-fhir",), ("i18n", "check")}
EXAMPLE_INTAKE = ROOT / "tests" / "examples" / "healthy-adult.json"
EXAMPLE_DATE = "2026-11-21"


def page_name(path: Path) -> str:
    return str(path.relative_to(ROOT))


@lru_cache(maxsize=None)
def fences(path: Path) -> tuple[tuple[str, str], ...]:
    """Each fenced block of a page: (language, text)."""
    blocks, language, lines = [], None, []
    for line in path.read_text(encoding="utf-8").splitlines():
        mark = re.match(r"^\s*```\s*([\w+-]*)", line)
        if mark and language is None:
            language, lines = mark.group(1).lower(), []
        elif mark:
            blocks.append((language, "\n".join(lines)))
            language = None
        elif language is not None:
            lines.append(line)
    assert language is None, f"{page_name(path)}: a fence is never closed"
    return tuple(blocks)


def prose(path: Path) -> str:
    """The page without its fenced blocks and its comments (the marked places for docs still to come)."""
    text = re.sub(r"<!--.*?-->", "", path.read_text(encoding="utf-8"), flags=re.S)
    return re.sub(r"^\s*```.*?^\s*```[^\n]*$", "", text, flags=re.M | re.S)


def inline_code(path: Path) -> list[str]:
    return re.findall(r"`([^`\n]+)`", prose(path))


def shell_lines(block: str) -> list[str]:
    """The commands of a shell block: continuation lines joined, comment lines dropped."""
    joined = re.sub(r"\\\n\s*", " ", block)
    return [line.strip() for line in joined.splitlines() if line.strip() and not line.strip().startswith("#")]


def shell_commands() -> list[tuple[str, str]]:
    """(page, command line) for every line of every fenced shell block."""
    return [(page_name(page), line) for page in PAGES for language, block in fences(page)
            if language in SHELL_LANGUAGES for line in shell_lines(block)]


def words(line: str) -> list[str]:
    lexer = shlex.shlex(line, posix=True, punctuation_chars="|&;<>")
    lexer.whitespace_split, lexer.commenters = True, "#"
    return list(lexer)


def simple_commands(line: str) -> list[list[str]]:
    """The simple commands of a line, each without its leading VARIABLE=value assignments."""
    commands, current = [], []
    for word in words(line):
        if word and set(word) <= set("|&;<>"):
            commands.append(current)
            current = [] if word in {"|", "||", "&&", ";", "&"} else ["<redirect>"]
            continue
        current.append(word)
    commands.append(current)
    result = []
    for command in commands:
        while command and re.match(r"^[A-Za-z_]\w*=", command[0]):
            command = command[1:]
        if command and command[0] != "<redirect>":
            result.append(command)
    return result


def screener_arguments(command: list[str]) -> list[str] | None:
    """The words after ``python -m screener``, or None when the command is not one."""
    if len(command) >= 3 and re.fullmatch(r"(\S*/)?python3?", command[0]) and command[1:3] == ["-m", "screener"]:
        return command[3:]
    return None


HELP_TREE = """
import argparse, json, sys
from screener.cli import _parser

def walk(parser, path, found):
    found[" ".join(path)] = parser.format_help()  # what --help prints
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                walk(child, [*path, name], found)
    return found

json.dump(walk(_parser(), [], {}), sys.stdout)
"""


@lru_cache(maxsize=None)
def help_tree() -> dict[str, str]:
    """The --help of every command and subcommand, all read in one subprocess (one start, not thirty)."""
    done = subprocess.run([sys.executable, "-c", HELP_TREE], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "COLUMNS": "100"})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def help_text(path: tuple[str, ...]) -> str:
    return help_tree()[" ".join(path)]


def test_the_help_tree_is_what_help_prints():
    done = subprocess.run([sys.executable, "-m", "screener", "staff", "add", "--help"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, env={**os.environ, "COLUMNS": "100"})
    assert done.returncode == 0 and done.stdout == help_text(("staff", "add"))


def subcommands(text: str) -> set[str]:
    """The choices of a help text's positional command argument: ``{add,list}`` under "positional arguments"."""
    positional = text.split("positional arguments:", 1)[1].split("\n\n")[0] if "positional arguments:" in text else ""
    found = re.search(r"^\s+\{([\w,-]+)\}", positional, flags=re.M)
    return set(found.group(1).split(",")) if found else set()


def options(text: str) -> set[str]:
    return set(re.findall(r"(?<![\w-])(--?[A-Za-z][\w-]*)", text))


def check_screener_words(arguments: list[str]) -> list[str]:
    """What a documented ``python -m screener`` line names that the real command line lacks."""
    problems, path = [], []
    for word in arguments:
        word = word.strip("[]")
        if not word or word == "-" or word.startswith("<") or re.fullmatch(r"[A-Z][A-Z_-]+", word):
            continue
        text = help_text(tuple(path))
        command = " ".join(["python -m screener", *path])
        if word.startswith("-"):
            problems += [f"{command} has no option {name}" for name in [word.split("=", 1)[0]]
                         if name not in options(text)]
            continue
        choices = subcommands(text)
        if choices:  # a command group: the word must be one of its commands (``extract|check``: each)
            unknown = [choice for choice in word.split("|") if choice not in choices]
            if unknown:
                problems.append(f"{command} has no command {unknown[0]!r} (it has {', '.join(sorted(choices))})")
                break
            path.append(word.split("|")[0])
    return problems


def documented_screener_lines() -> list[tuple[str, str]]:
    """(page, the words after python -m screener) in fenced shell blocks and inline code spans."""
    found = []
    for page, line in shell_commands():
        for command in simple_commands(line):
            arguments = screener_arguments(command)
            if arguments is not None:
                found.append((page, arguments))
    for page in PAGES:
        for span in inline_code(page):
            if "python -m screener" in span:
                found.append((page_name(page), span.split("python -m screener", 1)[1].split()))
    return found


# The opening commands -------------------------------------------------------------------------------


def opening_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    before_first_section = readme.split("\n## ", 1)[0]
    blocks = [block for language, block in fences(ROOT / "README.md") if language in SHELL_LANGUAGES]
    opening = [block.strip() for block in blocks[:2]]
    assert len(opening) == 2 and all(f"```sh\n{block}\n```" in before_first_section for block in opening), (
        "README.md must open, before its first section, with two fenced sh blocks: the app's command and the tests'")
    return opening


def test_the_readme_opens_with_the_tests_command_ci_runs():
    _, tests = opening_commands()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    run = re.findall(r"^exec (.+)$", ci, flags=re.M)
    assert run == [tests], f".ci/run runs {run}, the README says {tests!r}"
    assert (ROOT / words(tests)[1]).is_file()


def test_the_readme_opens_with_the_apps_command_on_the_tests_virtualenv():
    app, _ = opening_commands()
    steps = [" ".join(command) for command in simple_commands(app)]
    script = (ROOT / "scripts" / "test.sh").read_text(encoding="utf-8")
    venv = re.search(r"^python3 -m venv (\S+)$", script, flags=re.M)
    assert venv and steps[0] == f"python3 -m venv {venv.group(1)}", steps
    assert steps[1] == f"{venv.group(1)}/bin/pip install -r requirements.txt", steps
    assert "-r requirements.txt" in (ROOT / "requirements-test.txt").read_text(encoding="utf-8").splitlines()
    assert re.search(r"^streamlit==", (ROOT / "requirements.txt").read_text(encoding="utf-8"), flags=re.M)
    assert steps[2:] == [f"{venv.group(1)}/bin/streamlit run streamlit_app.py"], steps
    assert (ROOT / "streamlit_app.py").is_file()


# Commands and options -------------------------------------------------------------------------------


def test_every_documented_screener_command_and_option_exists():
    lines = documented_screener_lines()
    assert len(lines) > 20  # the extraction itself still finds the commands
    problems = [f"{page}: {problem}" for page, arguments in lines for problem in check_screener_words(arguments)]
    assert not problems, "\n".join(problems)


def test_the_help_check_catches_a_command_or_option_that_does_not_exist():
    assert check_screener_words(["rules", "--format", "markdown"]) == []
    assert check_screener_words(["staff", "add", "alice", "--role", "admin"]) == []
    assert check_screener_words(["hash-password"])
    assert check_screener_words(["rules", "--colour"])
    assert check_screener_words(["staff", "remove", "alice"])


def test_no_command_is_left_in_an_unfenced_block():
    unfenced = [f"{page_name(page)}: {line.strip()}" for page in PAGES for line in prose(page).splitlines()
                if re.match(r"^ {4,}(\S*python3? |\.venv/|bash |SCREENER_\w+=|pybabel |streamlit )", line)]
    assert not unfenced, "put these in a ```sh fence, where they are checked:\n" + "\n".join(unfenced)


def runnable(arguments: list[str]) -> bool:
    words_only = [a for a in arguments if not a.startswith("-")]
    return any(tuple(words_only[:len(r)]) == r for r in RUNNABLE)


def test_the_offline_commands_run(tmp_path):
    from screener import assess, parse_intake
    from screener.fhir import bundle_json

    as_of = date.fromisoformat(EXAMPLE_DATE)
    shutil.copy(EXAMPLE_INTAKE, tmp_path / "intake.json")
    intake = parse_intake(EXAMPLE_INTAKE.read_bytes(), as_of)
    (tmp_path / "response.json").write_bytes(bundle_json(intake, assess(intake, as_of=as_of)))

    to_run = []
    for page, line in shell_commands():
        commands = [screener_arguments(command) for command in simple_commands(line)]
        if any(arguments is not None and runnable(arguments) for arguments in commands):
            if re.search(r"\[|\|(?!\s)|\b[A-Z]{4,}\b", line.split(" #")[0]):
                continue  # a usage line with placeholders (``[--as-of ...]``, ``markdown|json``), checked by --help
            if line.split(" #")[0].split() not in [seen.split(" #")[0].split() for _, seen in to_run]:
                to_run.append((page, line))
    assert len(to_run) >= 6, to_run

    python = shlex.quote(sys.executable)
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "SCREENER_DATA_DIR": str(tmp_path / "data")}

    def run(item):
        page, line = item
        script = re.sub(r"(?<![\w/])(\S*/)?python3?(?= -m screener)", python, line)
        done = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=environment, capture_output=True,
                              text=True, timeout=120)
        return page, line, done

    with ThreadPoolExecutor(8) as pool:
        failed = [f"{page}: {line}\n  exit {done.returncode}: {done.stderr.strip()[-500:]}"
                  for page, line, done in pool.map(run, to_run) if done.returncode != 0]
    assert not failed, "\n".join(failed)


# Paths, modules and settings -------------------------------------------------------------------------


def top_level() -> set[str]:
    ignored = {".git", ".venv", "node_modules", "artifacts", "data", "__pycache__", ".pytest_cache"}
    return {entry.name for entry in ROOT.iterdir() if entry.name not in ignored}


def repository_paths(path: Path) -> set[str]:
    """Tokens of a page that name a place in the repository."""
    texts = inline_code(path)
    for language, block in fences(path):
        if language in SHELL_LANGUAGES:
            texts += [word for line in shell_lines(block) for command in simple_commands(line) for word in command]
        elif language == "text":
            texts.append(block)
    found = set()
    roots = "|".join(re.escape(name) for name in sorted(top_level()))
    for text in texts:
        for match in re.finditer(rf"(?<![\w./-])((?:{roots})(?:/[\w.<>*-]+)*/?)", text):
            token = match.group(1).rstrip(".")
            if "/" in token or (ROOT / token).is_file() or re.search(r"\.(py|md|txt|toml|json|sh)$", token):
                found.add(token)
        found.update(re.findall(r"(?<![\w/])(test_[\w*]+\.py)", text))
    return found


# Files a clinic makes and this repository does not ship; named in the pages all the same.
NOT_SHIPPED = {".streamlit/secrets.toml"}


def exists(token: str) -> bool:
    if token in NOT_SHIPPED:
        return True
    pattern = re.sub(r"<[^>]+>", "*", token).rstrip("/")
    if "/" not in pattern:
        return bool(list(ROOT.glob(pattern))) or bool(list((ROOT / "tests").rglob(pattern)))
    return bool(list(ROOT.glob(pattern)))


def test_every_path_named_exists():
    missing = [f"{page_name(page)}: {token}" for page in PAGES for token in sorted(repository_paths(page))
               if not exists(token)]
    assert not missing, "\n".join(missing)


def test_the_path_check_sees_paths():
    assert "screener/clinical/rules.py" in repository_paths(ROOT / "docs" / "clinical.md")
    assert not exists("screener/rules.py") and exists("screener/language/locale/<lang>/LC_MESSAGES/patient.po")
    assert not any((ROOT / name).exists() for name in NOT_SHIPPED), "shipped now: take it off NOT_SHIPPED"


def dotted_names() -> dict[str, set[str]]:
    names: dict[str, set[str]] = {}
    for page in PAGES:
        for span in inline_code(page):
            for name in re.findall(r"(?<![\w.-])((?:screener|app)(?:\.\w+)+)", span):
                if not re.search(r"\.(py|toml|txt|json|md|sqlite3|example)$", name):
                    names.setdefault(name, set()).add(page_name(page))
    return names


IMPORT_CHECK = """
import importlib, json, sys
missing = []
for name in json.loads(sys.argv[1]):
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        try:
            for attribute in parts[cut:]:
                target = getattr(target, attribute)
        except AttributeError:
            missing.append(name)
        break
    else:
        missing.append(name)
print(json.dumps(missing))
"""


def test_every_module_and_name_named_exists():
    names = dotted_names()
    assert len(names) > 10
    done = subprocess.run([sys.executable, "-c", IMPORT_CHECK, json.dumps(sorted(names))], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    missing = json.loads(done.stdout.strip().splitlines()[-1])
    assert not missing, "\n".join(f"{', '.join(sorted(names[name]))}: {name}" for name in missing)


def variables_read() -> set[str]:
    sources = [*(ROOT / "screener").rglob("*.py"), *(ROOT / "app").rglob("*.py"), ROOT / "streamlit_app.py"]
    return {name for source in sources
            for name in re.findall(r"""["'](SCREENER_[A-Z0-9_]*[A-Z0-9])["']""", source.read_text(encoding="utf-8"))}


def variables_named(text: str) -> set[str]:
    return set(re.findall(r"\b(SCREENER_[A-Z0-9_]*[A-Z0-9])\b", text))


def test_every_variable_named_is_read_by_the_code():
    read = variables_read()
    assert {"SCREENER_DATABASE_URL", "SCREENER_DATA_DIR"} <= read  # the scan still finds them
    unknown = [f"{page_name(page)}: {name}" for page in PAGES
               for name in sorted(variables_named(page.read_text(encoding="utf-8")) - read)]
    assert not unknown, "named in the docs, read nowhere in the code:\n" + "\n".join(unknown)


def test_every_variable_the_code_reads_has_a_row_in_deployment():
    table = re.findall(r"^\| `(SCREENER_[A-Z0-9_]+)` \|", (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8"),
                       flags=re.M)
    assert len(table) == len(set(table)), "a variable has two rows"
    undocumented = sorted(variables_read() - set(table))
    assert not undocumented, "read by the code, no row in docs/deployment.md:\n" + "\n".join(undocumented)
