"""Bad input gets one clear message with file:line:column and the key path, and exit 2."""

from __future__ import annotations

import pytest

from orchlint.support import yamlsource
from orchlint.schemas.validation import validate

from ..conftest import write

VALID_HEAD = "orchlint: 1\nname: svc\n"


def errors_for(text: str) -> list:
    try:
        doc = yamlsource.load(text, dates_as_strings=True)
    except yamlsource.LoadError as exc:
        return [exc.error]
    return validate(doc, "requirements")


@pytest.mark.parametrize(
    ("text", "line", "column", "fragment"),
    [
        ("orchlint: 1\nname: [unclosed\n", 3, 1, "YAML syntax error"),
        (VALID_HEAD + "requirements:\n  nodez: 10\n", 4, 3, "unknown key 'nodez' (did you mean 'nodes'?)"),
        (VALID_HEAD + "requirements:\n  nodes: many\n", 4, 10, 'requirements.nodes: expected integer, got string "many"'),
        (VALID_HEAD + "requirements:\n  nodes: true\n", 4, 10, "expected integer, got boolean true"),
        (VALID_HEAD + "requirements:\n  nodes: 0\n", 4, 10, "requirements.nodes: 0 is less than the minimum of 1"),
        (VALID_HEAD + "requirements:\n  vendor_support: requird\n", 4, 19, "(did you mean 'required'?)"),
        (VALID_HEAD + "requirements:\n  workloads: [containers, containerz]\n", 4, 27, "requirements.workloads[1]"),
        ("orchlint: 1\n", 1, 1, "missing required key 'name'"),
        ("orchlint: 2\nname: x\n", 1, 11, "orchlint: expected 1, got 2"),
        (VALID_HEAD + "requirements:\n  nodes: 1\n  nodes: 2\n", 5, 3, "duplicate key 'nodes' (first written at line 4)"),
        ("a: 1\n---\nb: 2\n", 2, 1, "several YAML documents"),
        ("", 1, 1, "file is empty"),
        ("# only a comment\n", 1, 1, "file is empty"),
        ("orchlint: 1\n\tname: x\n", 2, 1, "YAML syntax error"),
        (VALID_HEAD + "decided: 2021-13-01\n", 3, 10, "decided: expected a date"),
    ],
)
def test_each_bad_input_has_one_positioned_message(text, line, column, fragment):
    errors = errors_for(text)
    assert errors, "expected an error"
    first = errors[0]
    assert fragment in first.message
    assert (first.line, first.column) == (line, column)


def test_a_bom_is_accepted():
    assert errors_for("\ufefforchlint: 1\nname: x\n") == []
    assert yamlsource.load("\ufefforchlint: 1\nname: x\n".encode()).data["name"] == "x"


def test_non_utf8_and_binary_are_rejected():
    with pytest.raises(yamlsource.LoadError, match="not UTF-8"):
        yamlsource.load(b"name: \xff\xfe\n")
    with pytest.raises(yamlsource.LoadError, match="binary"):
        yamlsource.load(b"\x00\x01\x02")


def test_alias_bomb_and_recursive_alias_are_bounded():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8)
    )
    with pytest.raises(yamlsource.LoadError, match="more than"):
        yamlsource.load(bomb)
    with pytest.raises(yamlsource.LoadError, match="nesting"):
        yamlsource.load("a: &a [*a]\n")


def test_cli_reports_errors_with_file_line_column_and_exit_2(cli, tmp_path):
    bad = write(tmp_path, VALID_HEAD + "requirements:\n  nodez: 10\n", "bad.yaml")
    good = write(tmp_path, VALID_HEAD + "requirements:\n  production: true\n", "good.yaml")
    result = cli("check", bad, good)
    assert result.exit_code == 2
    assert f"{bad}:4:3 error requirements.nodez: unknown key 'nodez' (did you mean 'nodes'?)" in result.output
    assert good in result.output.split("\n\n")[1], "the good file is still reported in the matrix"
    assert "Traceback" not in result.output


def test_unknown_target_suggests_a_platform(cli, tmp_path):
    bad = write(tmp_path, VALID_HEAD + "target: kubernets\n")
    result = cli("check", bad)
    assert result.exit_code == 2
    assert f"{bad}:3:9 error target: unknown platform 'kubernets' (did you mean 'kubernetes'?)" in result.output


@pytest.mark.parametrize(
    ("setup", "fragment"),
    [
        (lambda p: str(p / "missing.yaml"), "cannot read file"),
        (lambda p: str(p), "no requirements files found in this directory"),
    ],
)
def test_unreadable_paths_are_input_errors(cli, tmp_path, setup, fragment):
    result = cli("check", setup(tmp_path))
    assert result.exit_code == 2
    assert fragment in result.output


def test_top_level_list_is_rejected(cli, tmp_path):
    result = cli("check", write(tmp_path, "- a\n- b\n"))
    assert result.exit_code == 2
    assert ":1:1 error expected a mapping at the top of the file, got a list" in result.output


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("requirements:\n", "requirements: expected a mapping, got null"),
        ("requirements:\n  storage:\n", "requirements.storage: expected a mapping, got null"),
        ("requirements:\n  nodes: 5.5\n", "requirements.nodes: expected integer, got number 5.5"),
        ("requirements:\n  workloads: containers\n", 'requirements.workloads: expected a list, got string "containers"'),
        ("requirements:\n  production: .nan\n", "requirements.production: expected boolean, got number NaN"),
        ("requirements:\n  workloads: []\n", "requirements.workloads: list must not be empty"),
        ("requirements:\n  nodes: 99999999999999999999999\n", "is greater than the maximum of 10000000"),
        ("priorities: {nodes: maybe}\n", 'priorities.nodes: "maybe" is not allowed; expected one of: must, should, could'),
        ("1: 2\n", "keys must be strings"),
    ],
)
def test_wrong_values_say_what_was_expected(body, message):
    errors = errors_for(VALID_HEAD + body)
    assert any(message in e.message for e in errors), errors


@pytest.mark.parametrize("size", [0, 1, 530, yamlsource.MAX_BYTES - 1, yamlsource.MAX_BYTES, yamlsource.MAX_BYTES + 1, 2 * yamlsource.MAX_BYTES])
def test_a_file_is_read_whole_up_to_one_byte_past_the_limit(tmp_path, size):
    path = tmp_path / "f.yaml"
    path.write_bytes(b"a" * size)
    assert len(yamlsource.read_bounded(path)) == min(size, yamlsource.MAX_BYTES + 1)


@pytest.mark.skipif(not __import__("os").path.exists("/proc/self/status"), reason="needs Linux /proc")
def test_a_regular_file_whose_size_reads_zero_is_still_read_whole():
    # /proc files are regular but report size 0: the read is sized to the file, so it must
    # notice that there is more.
    data = yamlsource.read_bounded("/proc/self/status")
    assert data.startswith(b"Name:") and b"\nPid:" in data


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_a_byte_that_is_not_utf8_is_named_and_placed_alike_after_a_byte_order_mark(bom):
    with pytest.raises(yamlsource.LoadError) as raised:
        yamlsource.load(bom + b"orchlint: 1\nname: ab\xffc\n")
    error = raised.value.error
    assert (error.line, error.column, error.message) == (2, 9, "file is not UTF-8: byte 0xff cannot be decoded")


@pytest.mark.parametrize(("nested", "column"), [("[" * 70 + "]" * 70, 71), ("{a: " * 70 + "}" * 70, 263)])
def test_too_deep_nesting_is_placed_alike_whether_or_not_the_text_is_checked_before_composing(nested, column):
    # Short texts skip the event pass that guards the C composer from nesting deep enough to
    # exhaust its stack: the builder's own limit must then report the same error, in the same
    # place (the 65th level).
    short = f"orchlint: 1\nname: {nested}\n"
    padded = short + "#" * yamlsource.SHAPE_CHECK_ABOVE + "\n"
    assert len(short) <= yamlsource.SHAPE_CHECK_ABOVE < len(padded)
    for text in (short, padded):
        with pytest.raises(yamlsource.LoadError) as raised:
            yamlsource.load(text)
        error = raised.value.error
        assert (error.line, error.column, error.message) == (2, column, "nesting is deeper than the 64-level limit")


def test_a_short_unclosed_deep_text_is_a_syntax_error_and_a_long_one_too_deep():
    # Unclosed, the short text reaches the composer, which finds the syntax error; the long one
    # is stopped by the event pass first. Either way: one error, with its place.
    short = "orchlint: 1\nname: " + "[" * 70 + "\n"
    for text, expected in ((short, (3, 1, "YAML syntax error")), (short + "#" * yamlsource.SHAPE_CHECK_ABOVE, (2, 71, "nesting is deeper"))):
        with pytest.raises(yamlsource.LoadError) as raised:
            yamlsource.load(text)
        error = raised.value.error
        assert (error.line, error.column) == expected[:2] and error.message.startswith(expected[2])
