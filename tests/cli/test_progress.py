"""The plain progress lines shared by ingest, summarize, digest (when piped) and eval (always)."""

from __future__ import annotations

import pytest

from bulletin_qa.cli.progress import lines


@pytest.mark.parametrize(("calls", "every", "expected"), [
    # about every 10%: 0, 10, ..., 100 of 100 -> 11 lines, the end once even when repeated
    ([(i, 100) for i in range(101)] + [(100, 100)], None,
     [f"work: {i}/100" for i in range(0, 101, 10)]),
    # every item when asked (eval with an LLM: one line per question)
    ([(1, 3), (2, 3), (3, 3)], 1, ["work: 1/3", "work: 2/3", "work: 3/3"]),
    # nothing to do: nothing said
    ([(0, 0)], None, []),
    # a total reached between steps still ends with a line
    ([(0, 7), (7, 7)], 5, ["work: 0/7", "work: 7/7"]),
])
def test_lines_print_start_steps_and_end_once(calls: list[tuple[int, int]], every: int | None,
                                              expected: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    update = lines("work", every=every)
    for done, total in calls:
        update(done, total)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == expected


def test_lines_clean_labels_of_outside_text(capsys: pytest.CaptureFixture[str]) -> None:
    lines("summaries")(1, 1, "标题\x1b[31m红\x1b[0m")
    err = capsys.readouterr().err
    assert "\x1b" not in err
    assert err.startswith("summaries: 1/1 标题")
