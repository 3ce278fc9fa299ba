"""`python -m screener` fed what a hostile or unlucky user might feed it: huge, endless or
absent input ends at once with exit 2, one plain message and small, bounded memory.

Each run is measured in a wrapper process of its own, so the peak resident memory that
``getrusage(RUSAGE_CHILDREN)`` reports is that one CLI run's. Times are printed by
``benchmarks/bench_hostile_input.py``, not asserted here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from factories import healthy_answers

ROOT = Path(__file__).resolve().parents[2]
MEMORY_BOUND_MB = 200

# Runs the CLI as a child with the given standard input ("closed", "write-only", a file path, or none),
# and prints its exit code, standard error, peak memory and CPU time as one JSON line.
MEASURED_RUN = """
import json, os, resource, subprocess, sys
stdin_spec, args = sys.argv[1], sys.argv[2:]
options = {"stdin": subprocess.DEVNULL}
if stdin_spec == "closed":
    options = {"stdin": None, "preexec_fn": lambda: os.close(0)}
elif stdin_spec == "write-only":
    options = {"stdin": os.open(os.devnull, os.O_WRONLY)}
elif stdin_spec != "none":
    options = {"stdin": open(stdin_spec, "rb")}
child = subprocess.run([sys.executable, "-m", "screener", *args], stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, **options)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"code": child.returncode, "stderr": child.stderr.decode("utf-8", "replace"),
                  "peak_mb": usage.ru_maxrss / 1024, "cpu_s": usage.ru_utime + usage.ru_stime}))
"""


def measured_run(*args: str, stdin: str = "none") -> dict:
    """The CLI run once: its exit code, standard error, peak resident memory in MB and CPU seconds."""
    wrapper = subprocess.run([sys.executable, "-c", MEASURED_RUN, stdin, *args], capture_output=True, cwd=ROOT,
                             timeout=60, check=True)
    return json.loads(wrapper.stdout)


def hostile_inputs(folder: Path) -> dict[str, tuple[list[str], str]]:
    """Each hostile input by name: the CLI arguments and what its standard input is."""
    long_list = healthy_answers()
    long_list["veins"]["areas"] = [0] * (1024 * 1024 // 3)  # "0, " each: 1 MB of JSON
    long_list_file = folder / "long_list.json"
    long_list_file.write_text(json.dumps(long_list))
    brackets_file = folder / "brackets.json"
    with brackets_file.open("w") as out:  # 50 MB of [] inside an unknown field
        out.write('{"unknown": [')
        out.write("[]," * (50 * 1024 * 1024 // 3))
        out.write("[]]}")
    as_of = ["--as-of", "2026-11-21"]
    return {
        "a 1 MB list": (["assess", str(long_list_file), *as_of], "none"),
        "50 MB of [] in an unknown field": (["assess", str(brackets_file), *as_of], "none"),
        "/dev/zero as the file": (["assess", "/dev/zero", *as_of], "none"),
        "/dev/zero as standard input": (["assess", "-", *as_of], "/dev/zero"),
        "/dev/urandom as standard input": (["assess", "-", *as_of], "/dev/urandom"),
        "/dev/zero to the pdf command": (["pdf", "/dev/zero", "-o", str(folder / "out.pdf"), *as_of], "none"),
        "closed standard input": (["assess", "-", *as_of], "closed"),
        "unreadable standard input": (["assess", "-", *as_of], "write-only"),
    }


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict[str, tuple[list[str], str]]:
    return hostile_inputs(tmp_path_factory.mktemp("hostile"))


TOO_LARGE = "input: The intake is larger than 256 KB (262,144 bytes), the most accepted; a complete intake is a few KB.\n"
EXPECTED_STDERR = {
    "a 1 MB list": TOO_LARGE,
    "50 MB of [] in an unknown field": TOO_LARGE,
    "/dev/zero as the file": TOO_LARGE,
    "/dev/zero as standard input": TOO_LARGE,
    "/dev/urandom as standard input": TOO_LARGE,
    "/dev/zero to the pdf command": TOO_LARGE,
    "closed standard input": "-: Standard input is closed; pipe the intake in or give a file.\n",
    "unreadable standard input": "-: Standard input cannot be read (Bad file descriptor).\n",
}


@pytest.mark.parametrize("name", list(EXPECTED_STDERR))
def test_hostile_input_exits_2_with_one_line_in_bounded_memory(inputs, name):
    args, stdin = inputs[name]
    result = measured_run(*args, stdin=stdin)
    assert result["code"] == 2
    assert result["stderr"] == EXPECTED_STDERR[name]
    assert result["peak_mb"] < MEMORY_BOUND_MB


def test_a_long_list_under_the_size_limit_is_one_problem_in_bounded_memory(tmp_path):
    answers = healthy_answers()
    answers["veins"]["areas"] = [0] * 50_000
    path = tmp_path / "intake.json"
    path.write_text(json.dumps(answers))
    result = measured_run("assess", str(path), "--as-of", "2026-11-21")
    assert (result["code"], result["stderr"]) == (2, "veins.areas: There are only 3 choices; give each at most once.\n")
    assert result["peak_mb"] < MEMORY_BOUND_MB


def test_the_problems_printed_stop_at_50_and_say_how_many_more(tmp_path):
    answers = healthy_answers()
    answers["lifestyle"].update({f"pet{number}": True for number in range(70)})
    path = tmp_path / "intake.json"
    path.write_text(json.dumps(answers))
    result = measured_run("assess", str(path), "--as-of", "2026-11-21")
    lines = result["stderr"].splitlines()
    assert result["code"] == 2 and len(lines) == 51
    assert lines[0] == 'lifestyle.pet0: "pet0" is not a known field; remove it.'
    assert lines[49] == 'lifestyle.pet49: "pet49" is not a known field; remove it.'
    assert lines[50] == "... and 20 more problems."
