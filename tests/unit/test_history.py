"""Undo/redo history (issue 7 §3): a plain list model, checked step by step."""

from __future__ import annotations

from eigenvue_tui.history import History


def test_undo_and_redo_walk_the_states():
    history = History("a")
    for state in "bcd":
        history.push(state)
    assert [history.undo(), history.undo(), history.undo()] == ["c", "b", "a"]
    assert history.undo() is None and history.current == "a"
    assert [history.redo(), history.redo()] == ["b", "c"]
    assert history.current == "c" and history.can_redo and history.can_undo


def test_a_new_state_after_undo_drops_what_was_undone():
    history = History(1)
    history.push(2)
    history.push(3)
    history.undo()
    history.undo()
    history.push(9)
    assert history.current == 9 and not history.can_redo
    assert history.undo() == 1 and history.redo() == 9 and history.redo() is None
    assert len(history) == 2


def test_replace_changes_the_current_state_without_a_step():
    history = History("x")
    history.push("y")
    history.replace("Y")
    assert len(history) == 2 and history.current == "Y" and history.undo() == "x"
    assert history.redo() == "Y"


def test_oldest_states_go_past_the_count_bound():
    history = History(0, max_states=3)
    for state in range(1, 10):
        history.push(state)
    assert len(history) == 3 and history.current == 9
    assert [history.undo(), history.undo(), history.undo()] == [8, 7, None]


def test_oldest_states_go_past_the_weight_bound_but_never_the_current():
    history = History("aa", max_weight=5, weight=len)
    history.push("bbb")  # 2 + 3 = 5: both kept
    assert len(history) == 2
    history.push("cccc")  # 3 + 4 > 5: "aa" and "bbb" go
    assert len(history) == 1 and history.current == "cccc"
    history.push("dddddddd")  # heavier than the bound alone: still kept as current
    assert history.current == "dddddddd" and len(history) == 1 and not history.can_undo
