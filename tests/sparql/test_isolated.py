"""kg92.isolated: one call in a killable child process (the deadline itself is tested through POST /validate in
test_shapes.py, with the process proven gone)."""

from __future__ import annotations

import json

import pytest

from kg92 import isolated


def test_the_result_comes_back_from_the_child():
    assert isolated.run(json.loads, {"s": '{"a": [1, "é"]}'}, 60.0) == {"a": [1, "é"]}


def test_an_exception_of_the_call_is_raised_again_in_the_parent():
    with pytest.raises(json.JSONDecodeError) as caught:
        isolated.run(json.loads, {"s": "{"}, 60.0)
    assert str(caught.value) == "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"


@pytest.mark.parametrize("code, text", [(-6, "killed by SIGABRT"), (-9, "killed by SIGKILL"), (1, "exit code 1"),
                                        (None, "exit code None"), (-999, "exit code -999")])
def test_how_a_child_ended(code, text):
    assert isolated._ending(code) == text
