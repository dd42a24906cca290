"""An exercise as one record: its check, the known mistakes learners make (each written once, as the
learner's code) and correct answers written differently from the solution."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True)
class Mistake:
    """A plausible wrong answer, written as the learner would write it (code defining the exercise's
    function or number).

    The tests run `answer` and require the check to reject it. With a `hint`, the answer is also a known
    mistake the checker recognises: run as code, it gives the function the checker compares a learner's
    result with (see lib.exercises.checking.matching_hint), and its rejection must end with the hint.
    Without one, `says` is a part of the message the rejection must contain (what the check itself
    reports: an overflow, a changed input, or the hint of another record this answer is a variant of).
    """

    answer: str
    hint: str | None = None
    says: str | None = None

    def __post_init__(self):
        if (self.hint is None) == (self.says is None):
            raise ValueError("a Mistake has either a hint (the checker names it) or says (what the message contains)")


@dataclass(frozen=True)
class Exercise:
    """One exercise: the notebook's `<div class="admonition exercise" id="<label>">` and its starter,
    whose last line is `check("<label>", <name>)`.

    name: what the starter defines (a function, or a number for an experimental answer).
    setup: the Python every answer runs after, the names the notebook gives it (its imports cell, and
        any import in the starter cell above the function); a test checks the notebook gives them.
    check: check(answer, hints) -> CheckResult, with hints the (hint, function) pairs of the mistakes.
    mistakes, right_answers: at least 5 plausible wrong answers and 3 right ones written differently.
    mistake_setup: Python run instead of `setup` before a mistake's code when the checker runs it to
        match hints (the median-ratio exercise counts steps with the checker's own cached runs).
    """

    label: str
    name: str
    setup: str
    check: Callable
    mistakes: tuple[Mistake, ...]
    right_answers: tuple[str, ...]
    mistake_setup: str | None = None

    def __call__(self, answer):
        """The CheckResult of this exercise's check on the learner's answer."""
        return self.check(answer, self.hints)

    @cached_property
    def hints(self):
        """(hint, function) for each mistake with a hint, the function defined by running its answer."""
        setup = self.setup if self.mistake_setup is None else self.mistake_setup
        return tuple((m.hint, define(setup, m.answer, self.name)) for m in self.mistakes if m.hint)


def define(setup, answer, name):
    """What `answer` (code) binds to `name` when run after `setup`, in a fresh namespace."""
    namespace = {}
    exec(setup, namespace)
    exec(answer, namespace)
    return namespace[name]
