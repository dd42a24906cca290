"""The course's exercises, one record each, registered by the label of the notebook's exercise.

A notebook's starter cell ends with `check("<label>", <answer>)`. Adding an exercise touches the
notebook and one `Exercise` record in `lib/exercises/<notebook>.py` (the notebook's name with `_` for
`-`), nothing else: the record holds the check, the known mistakes (each written once, as learner code:
the tests run it as a wrong answer and the checker runs it to name the mistake) and right answers.
The engine that checks is `lib.exercises.checking`.
"""

from lib.exercises import (activations, activations_beyond_relu, initialization, normalization, preprocessing,
                           reading_list, reading_list_methods)
from lib.exercises.checking import CheckResult
from lib.exercises.records import Exercise, Mistake

PAGES = (activations, activations_beyond_relu, initialization, preprocessing, reading_list, reading_list_methods,
         normalization)


def _registry():
    exercises = {}
    for page in PAGES:
        for exercise in page.EXERCISES:
            if exercise.label in exercises:
                raise ValueError(f"two exercises are labelled {exercise.label!r}")
            exercises[exercise.label] = exercise
    return exercises


EXERCISES = _registry()


def check(label, answer):
    """Check a learner's answer to the exercise labelled `label`: a CheckResult whose message says what
    is right, or the first thing that is wrong. Never raises for anything the answer does."""
    if label not in EXERCISES:
        raise KeyError(f"no exercise is labelled {label!r}; the labels are {', '.join(EXERCISES)}")
    return EXERCISES[label](answer)


__all__ = ["EXERCISES", "PAGES", "CheckResult", "Exercise", "Mistake", "check"]
