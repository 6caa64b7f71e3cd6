"""Pilot tests for teaching: the learn screen and its quiz, plain words in the status bar."""

from __future__ import annotations

from textual.widgets import Static

import oracle
from eigenvue_tui.screens.explorer import ExplorerScreen
from eigenvue_tui.screens.learn import LearnScreen

SIZE = (120, 40)
# The seed's default problem, copied by hand: 4×4 input, 2×2 kernel, 3×3 output.
INPUT = [[1, 2, 3, 0], [4, 5, 6, 1], [7, 8, 9, 2], [0, 1, 2, 3]]
KERNEL = [[1, 0], [0, -1]]


def text(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def status(app) -> str:
    return text(app.screen_stack[0], "#status")


async def test_learn_screen_asks_scores_and_explains(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LearnScreen)
        question = text(screen, "#quiz-question")
        assert question.startswith("Question 1 of ") and "5×5 input with a 3×3 kernel" in question
        # The seed's answer: 5 − 3 + 1 = 3, choice C of the seed's list.
        await pilot.press("c")
        assert text(screen, "#quiz-result").startswith("C: Right")
        assert "1 right of 1 answered" in text(screen, "#quiz-score")
        await pilot.press("a")  # a second answer to the same question does not count
        assert "1 right of 1 answered" in text(screen, "#quiz-score")
        await pilot.press("n")
        question = text(screen, "#quiz-question")
        assert question.startswith("Question 2 of ") and "this problem" in question
        problem = oracle.Problem(INPUT, KERNEL)
        right = f"{problem.out_h}×{problem.out_w}"
        lines = [line.strip() for line in question.splitlines() if ") " in line]
        wrong = next(line for line in lines if not line.endswith(f") {right}"))
        await pilot.press(wrong[0].lower())
        result = text(screen, "#quiz-result")
        assert "Not quite" in result and f") {right}." in result
        assert "outH = 4 − 2 + 1 = 3" in result
        assert screen.query_one("#quiz-result").has_class("-wrong")
        assert "1 right of 2 answered" in text(screen, "#quiz-score")
        await pilot.press("p")
        code = app.clipboard
        assert "F.conv2d(x, w, bias=None, stride=(1, 1), padding=(0, 0)" in code
        assert str(INPUT) in code
        await pilot.press("escape")
        assert isinstance(app.screen, ExplorerScreen)


async def test_learn_screen_follows_the_problem_on_screen(make_app):
    app = make_app("same-padding")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        body = " ".join(str(w.render()) for w in app.screen.query(".learn-text"))
        assert "pad top 0, bottom 1, left 0, right 1" in body
        assert "F.pad(x, (0, 1, 0, 1))" in text(app.screen, "#torch-code")
        assert "seed" not in body.lower()


async def test_status_bar_names_phases_in_plain_words(app):
    macs = len(KERNEL) * len(KERNEL[0])
    block = macs + 2
    last = 2 + 9 * block - 1
    want = {0: "starting", 1: "sum = 0", 2: f"multiply-add 1 of {macs}",
            1 + macs: f"multiply-add {macs} of {macs}", block: "write output[0][0]",
            2 * block: "write output[0][1]", 4 * block: "write output[1][0]", last: "finished"}
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        for step, words in want.items():
            screen.step = step
            await pilot.pause()
            assert status(app).startswith(f" Step {step} / {last}  {words} │"), status(app)
        for step in range(last + 1):
            screen.step = step
            assert not any(f" {word} " in status(app) for word in ("init", "reset", "mac", "done"))


async def test_padding_reads_show_no_negative_index(make_app):
    app = make_app("same-padding")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        steps = screen.steps
        padding_reads = [s.step for s in steps if s.padding]
        assert padding_reads
        for index in padding_reads[:8]:
            screen.step = index
            await pilot.pause()
            words = text(screen, "#explanation")
            assert words.startswith("0 (padding, outside the input) × kernel["), words
            assert "[-" not in words
        title = screen.query_one("#input-panel").border_title
        assert "pad top 0, bottom 1, left 0, right 1" in str(title)


async def test_shift_key_moves_the_input_and_the_output_follows(app):
    """``>``: the input one column right with a zero column in; the step is kept and the
    output is the oracle's for the shifted grid — its columns moved right by one."""
    shifted = [[0, *row[:-1]] for row in INPUT]
    want = oracle.conv2d(shifted, KERNEL)[0]
    before = oracle.conv2d(INPUT, KERNEL)[0]
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        screen.step = 20
        await pilot.press("greater_than_sign")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.steps.spec.grids()[0] == shifted
        assert screen.steps.output_list() == want.tolist()
        assert (want[:, 1:] == before[:, :-1]).all()
        assert screen.step == 20


def cell_text(app, f: int, row: int, col: int) -> str:
    """An output cell as drawn, brackets and padding stripped."""
    from eigenvue_tui.widgets.grid import GridView

    grid = app.screen_stack[0].query_one(f"#output-grid-{f}", GridView)
    grid.set_zoom(-50)  # one line a cell: the text as plain characters
    line = "".join(segment.text for segment in grid.render_line(row + 1))
    width = grid.geometry.cell_w
    start = grid.geometry.gutter + col * width
    return line[start : start + width].strip().strip("[]").strip()


async def type_answer(pilot, text: str) -> None:
    for char in text:
        await pilot.press(char)
    await pilot.press("enter")
    await pilot.pause()


async def test_practice_mode_size_right_wrong_retry_reveal_score(app):
    want = oracle.conv2d(INPUT, KERNEL)[0]
    block = 2 + 4
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await pilot.press("t")
        answer = screen.query_one("#answer")
        assert answer.display and answer.has_focus
        assert "Output size?" in answer.placeholder
        await pilot.press("right")  # no stepping before the size is answered
        assert screen.step == 0
        await type_answer(pilot, "3x3")
        assert "practice 1/1 right first try" in status(app)
        assert not answer.display
        for _ in range(block + 3):  # stepping stops at the first write step
            await pilot.press("right")
        assert screen.step == block
        assert cell_text(app, 0, 0, 0) == "?" and answer.display
        assert "output[0][0] = ?" in answer.placeholder
        await type_answer(pilot, str(int(want[0, 0]) + 1))  # wrong
        explanation = text(screen, "#explanation")
        assert "Not quite" in explanation and "1×1 + 2×0 + 4×0 + 5×(-1)" in explanation
        assert cell_text(app, 0, 0, 0) == "?" and screen.step == block
        assert "practice 1/2 right first try" in status(app)
        await type_answer(pilot, str(int(want[0, 0])))  # the retry: right, but not scored
        assert cell_text(app, 0, 0, 0) == str(int(want[0, 0]))
        assert "practice 1/2 right first try" in status(app)
        await pilot.press("down")
        assert screen.step == 2 * block and cell_text(app, 0, 0, 1) == "?"
        await type_answer(pilot, "?")  # reveal
        assert cell_text(app, 0, 0, 1) == str(int(want[0, 1]))
        assert "practice 1/3 right first try" in status(app)
        await pilot.press("down")
        await type_answer(pilot, str(int(want[0, 2])))
        assert "practice 2/4 right first try" in status(app)
        await pilot.press("end")
        assert screen.step == 4 * block  # the next cell to answer, not the end
        await pilot.press("t")  # leaving restores normal stepping
        assert not answer.display and "practice" not in status(app)
        await pilot.press("end")
        assert screen.step == 2 + 9 * block - 1
        assert cell_text(app, 0, 1, 0) == str(int(want[1, 0]))


async def test_practice_mode_asks_again_on_an_empty_enter_and_scores_nothing(app):
    """Enter with nothing typed (or only spaces) is no answer: no "Not quite", no hint,
    the score and the question stay; the first real answer still counts first try."""
    block = 2 + 4
    want = oracle.conv2d(INPUT, KERNEL)[0]
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await pilot.press("t")
        answer = screen.query_one("#answer")
        await type_answer(pilot, "")  # on the size question
        explanation = text(screen, "#explanation")
        assert "Not quite" not in explanation and "Rows:" not in explanation
        assert "Nothing typed" in explanation and "rows×cols" in explanation
        assert "practice 0/0 right first try" in status(app)
        assert answer.display and "Output size?" in answer.placeholder
        await type_answer(pilot, "3x3")
        assert "practice 1/1 right first try" in status(app)
        for _ in range(block):
            await pilot.press("right")
        assert screen.step == block and cell_text(app, 0, 0, 0) == "?"
        await type_answer(pilot, "  ")  # on a cell question
        explanation = text(screen, "#explanation")
        assert "Not quite" not in explanation and "Nothing typed" in explanation
        assert "output[0][0]" in explanation
        assert "practice 1/1 right first try" in status(app)
        assert cell_text(app, 0, 0, 0) == "?" and answer.display
        await type_answer(pilot, str(int(want[0, 0])))
        assert "practice 2/2 right first try" in status(app)


async def test_play_units_cycle_and_play_a_unit_per_tick(app):
    block, width = 2 + 4, 3
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert "by multiply-add" in status(app)
        await pilot.press("u")
        assert "by output cell" in status(app)
        screen._tick()
        assert screen.step == block
        screen._tick()
        assert screen.step == 2 * block
        await pilot.press("u")
        assert "by output row" in status(app)
        screen._tick()
        assert screen.step == width * block  # the end of row 0
        screen._tick()
        assert screen.step == 2 * width * block
        await pilot.press("u")
        assert "by multiply-add" in status(app)
        screen._tick()
        assert screen.step == 2 * width * block + 1
        start = screen.step
        await pilot.press("u", "space")  # real play: every tick lands on a write step
        seen = set()
        for _ in range(20):
            await pilot.pause(0.05)
            seen.add(screen.step)
        seen.discard(start)
        assert seen and all(step % block == 0 or step == 2 + 9 * block - 1 for step in seen), seen
        assert max(seen) > 2 * width * block + 1


def cell_offset(grid, row: int, col: int) -> tuple[int, int]:
    """Where a cell is drawn inside a grid widget (a header line, a row-label gutter)."""
    geometry = grid.geometry
    x0, _ = geometry.x_span(col, col)
    y0, _ = geometry.y_span(row, row)
    return (geometry.gutter + x0 - int(grid.scroll_offset.x) + 1,
            geometry.header + y0 - int(grid.scroll_offset.y))


async def test_clicks_and_cursor_mark_what_the_oracle_links(make_app):
    """stride-2: a click on an input cell marks the outputs it feeds (and the weights met),
    on a weight the inputs it multiplies, on an output its window and its write step; the
    keyboard cursor asks the same."""
    from eigenvue_tui.widgets.grid import GridView

    app = make_app("stride-2")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        x, k = screen.steps.spec.grids()
        options = screen.steps.spec.options()
        macs = [r for r in oracle.expected_steps(x, k, **options) if r["phase"] == "mac"]
        records = oracle.expected_steps(x, k, **options)
        top, _, left, _ = oracle.Problem(x, k, **options).pads
        inputs = screen.query_one("#input-grid-0", GridView)
        for row, col in [(0, 0), (2, 3), (5, 5)]:
            await pilot.click(inputs, offset=cell_offset(inputs, row, col))
            want = {(r["row"], r["col"]) for r in macs
                    if (r["in_row"] + top, r["in_col"] + left) == (row, col)}
            weights = {(r["kr"], r["kc"]) for r in macs
                       if (r["in_row"] + top, r["in_col"] + left) == (row, col)}
            marks = screen.marks
            assert marks.grid == "input" and marks.cell == (row, col)
            assert {(r, c) for _, r, c in marks.output} == want
            assert marks.kernel == weights
            count = len(want)
            assert screen.query_one("#input-panel").border_subtitle == (
                f"feeds {count} output value{'s' * (count != 1)}")
        kernel = screen.query_one("#kernel-grid-0-0", GridView)
        await pilot.click(kernel, offset=cell_offset(kernel, 1, 0))
        want = {(r["in_row"] + top, r["in_col"] + left) for r in macs
                if (r["kr"], r["kc"]) == (1, 0)}
        assert screen.marks.input == want
        output = screen.query_one("#output-grid-0", GridView)
        await pilot.click(output, offset=cell_offset(output, 1, 2))
        record = records[screen.step]
        assert (record["phase"], record["row"], record["col"]) == ("write", 1, 2)
        assert screen.marks.input == {(r["in_row"] + top, r["in_col"] + left) for r in macs
                                      if (r["row"], r["col"]) == (1, 2)}
        await pilot.press("escape")
        assert screen.marks is None
        step = screen.step
        await pilot.press("c", "c", "down", "right", "enter")  # the kernel's [1][1]
        assert screen.step == step and screen.marks.grid == "kernel"
        assert screen.marks.input == {(r["in_row"] + top, r["in_col"] + left) for r in macs
                                      if (r["kr"], r["kc"]) == (1, 1)}
        await pilot.press("escape", "right")
        assert screen.cursor is None and screen.step == step + 1
