"""lib.tables: the plain-text table every page prints, against tables written out by hand."""

import numpy as np
import pytest

from lib import tables


def test_labels_left_numbers_right_two_spaces_between_columns():
    t = tables.table(["activation", "mean", "share"],
                     [["relu", 0.399, 0.5], ["leaky_relu", 0.395, 0.0123]],
                     formats=[None, ".3f", ".1%"])
    assert str(t) == (
        "activation   mean  share\n"
        "relu        0.399  50.0%\n"
        "leaky_relu  0.395   1.2%"
    )


def test_one_format_for_every_column_and_numpy_scalars():
    t = tables.table(["k", "train", "test"], [[np.int64(1), np.float64(16.03), 15.85]], formats=".3g")
    assert str(t) == (
        "k  train  test\n"
        "1     16  15.8"
    )


def test_default_format_shows_ints_and_floats_as_python_does():
    assert str(tables.table(["n", "x"], [[3, 0.25], [12, 1e-05]])) == (
        "n       x\n"
        "3    0.25\n"
        "12  1e-05"
    )


def test_two_line_headers_sit_on_the_bottom_line_and_align_with_their_column():
    t = tables.table(["layer", "std h", "std dL/dW\n(x 1e-3)"],
                     [[1, 0.66, 0.9], [10, 0.35, 12.5]], formats=["d", ".2f", ".1f"])
    assert str(t) == (
        "              std dL/dW\n"
        "layer  std h   (x 1e-3)\n"
        "1       0.66        0.9\n"
        "10      0.35       12.5"
    )


def test_strings_are_shown_as_they_are_and_none_as_the_placeholder():
    t = tables.table(["init", "sigmoid", "steps"],
                     [["a", "~570", None], ["b", 1234.5, 65]],
                     formats=[None, ",.1f", "d"], missing="never")
    assert str(t) == (
        "init  sigmoid  steps\n"
        "a        ~570  never\n"
        "b     1,234.5     65"
    )
    assert str(tables.table(["x", "y"], [["a", None]])) == "x  y\na  -"


def test_signs_percent_and_exponent_formats():
    t = tables.table(["", "mean", "p", "g"], [["tanh", 0.0, 0.55, 2.3e-05], ["relu", 0.14, 1.0, 120.0]],
                     formats=[None, "+.2f", ".0%", ".1e"])
    assert str(t) == (
        "       mean     p        g\n"
        "tanh  +0.00   55%  2.3e-05\n"
        "relu  +0.14  100%  1.2e+02"
    )


def test_no_trailing_spaces_and_the_same_text_from_repr_and_lines():
    t = tables.table(["label", "x"], [["a long label", None]], missing="")
    assert str(t) == "label         x\na long label"
    assert repr(t) == str(t) and t.lines() == str(t).split("\n")


def test_a_table_with_no_rows_is_its_header():
    assert str(tables.table(["a", "bb"], [])) == "a  bb"


def test_the_parts_stay_available_for_other_forms_of_the_table():
    t = tables.table(["a", "b\nc"], [["x", 1.5]], formats=[None, ".2f"])
    assert t.header_lines == [("", "a"), ("b", "c")]
    assert t.cells == [("x", "1.50")]


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(columns="ab", rows=[]), TypeError, "columns"),
    (dict(columns=["a", 2], rows=[]), TypeError, "columns[1]"),
    (dict(columns=[], rows=[]), ValueError, "columns"),
    (dict(columns=["a", "b"], rows=[["x", 1], ["y", 2, 3]]), ValueError, "rows[1]"),
    (dict(columns=["a", "b"], rows=[["x"]]), ValueError, "rows[0]"),
    (dict(columns=["a", "b"], rows=["xy"]), TypeError, "rows[0]"),
    (dict(columns=["a", "b"], rows=5), TypeError, "rows"),
    (dict(columns=["a", "b"], rows=[["x", [1]]]), TypeError, "rows[0][1]"),
    (dict(columns=["a", "b"], rows=[["x", True]]), TypeError, "rows[0][1]"),
    (dict(columns=["a", "b"], rows=[["x", 1.5]], formats=[None, "d"]), ValueError, "formats[1]"),
    (dict(columns=["a", "b"], rows=[["x", 1.5]], formats=".q"), ValueError, "formats"),
    (dict(columns=["a", "b"], rows=[], formats=[None]), ValueError, "formats"),
    (dict(columns=["a", "b"], rows=[], formats=[None, 3]), TypeError, "formats[1]"),
    (dict(columns=["a", "b"], rows=[], formats=3), TypeError, "formats"),
    (dict(columns=["a", "b"], rows=[], missing=None), TypeError, "missing"),
])
def test_wrong_input_raises_naming_the_argument(kwargs, error, words):
    with pytest.raises(error, match=words.replace("[", r"\[").replace("]", r"\]")):
        tables.table(**kwargs)


# The HTML form (what the site shows), read back with the standard library's parser.

from html.parser import HTMLParser  # noqa: E402


class _Cells(HTMLParser):
    """The rows of an HTML table as [(tag, attributes, text)], <br> read as a newline."""

    def __init__(self, markup):
        super().__init__()
        self.rows, self.cell, self.tables = [], None, []
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append(dict(attrs))
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td"):
            self.cell = [tag, dict(attrs), ""]
        elif tag == "br" and self.cell is not None:
            self.cell[2] += "\n"

    def handle_endtag(self, tag):
        if tag in ("th", "td"):
            self.rows[-1].append(tuple(self.cell))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[2] += data


def test_html_has_the_headers_and_cells_of_the_plain_text():
    t = tables.table(["layer", "std h", "std dL/dW\n(x 1e-3)"],
                     [[1, 0.66, 0.9], [10, 0.35, None]], formats=["d", ".2f", ".1f"])
    parsed = _Cells(t.html())
    assert parsed.tables == [{"class": "nnc-table"}]
    assert parsed.rows == [
        [("th", {"scope": "col"}, "layer"), ("th", {"scope": "col"}, "std h"),
         ("th", {"scope": "col"}, "std dL/dW\n(x 1e-3)")],
        [("th", {"scope": "row", "data-label": "layer"}, "1"), ("td", {"data-label": "std h"}, "0.66"),
         ("td", {"data-label": "std dL/dW (x 1e-3)"}, "0.9")],
        [("th", {"scope": "row", "data-label": "layer"}, "10"), ("td", {"data-label": "std h"}, "0.35"),
         ("td", {"data-label": "std dL/dW (x 1e-3)"}, "-")],
    ]


def test_html_escapes_headers_cells_and_labels():
    t = tables.table(["a<b", 'say "x" & y'], [["<script>", "1 < 2"]])
    markup = t.html()
    assert "<script>" not in markup and "a<b" not in markup
    assert _Cells(markup).rows == [
        [("th", {"scope": "col"}, "a<b"), ("th", {"scope": "col"}, 'say "x" & y')],
        [("th", {"scope": "row", "data-label": "a<b"}, "<script>"),
         ("td", {"data-label": 'say "x" & y'}, "1 < 2")]]


def test_html_shows_a_missing_cell_as_the_plain_text_does():
    t = tables.table(["init", "steps"], [["xavier", None], ["kaiming", 65]], formats=[None, "d"],
                     missing="never")
    assert [row[1][2] for row in _Cells(t.html()).rows[1:]] == ["never", "65"]


@pytest.mark.parametrize("columns, rows", [
    (["a"], [["x"], ["y"]]),
    (["", "mean", "p", "g"], [["tanh", 0.0, 0.55, 2.3e-05]]),
    (["round", *map(str, range(7))], [["weights left (%)", *range(7)]]),
    (["a", "b"], []),
])
def test_html_has_as_many_columns_and_rows_as_the_plain_text(columns, rows):
    t = tables.table(columns, rows)
    parsed = _Cells(t.html())
    assert len(parsed.rows) == len(t.lines()) - len(t.header_lines[0]) + 1  # one header row
    assert {len(row) for row in parsed.rows} == {len(t.header_lines)} == {len(columns)}


def test_phone_width_wraps_headers_and_labels_at_spaces_but_not_the_other_cells():
    t = tables.table(["median of the\nthree starts", "steps to\nloss 2.0"],
                     [["Gaussian, Var(w) = 1/D_in", "88 [60, 109]"]])
    # the label column: its longest word, "Gaussian," (the header's is "starts", 6);
    # the value column: its whole cell, 12 characters (its header's longest word: 5); two between.
    assert t.phone_width() == len("Gaussian,") + 2 + len("88 [60, 109]")


def test_a_table_too_wide_for_a_phone_column_is_marked_for_cards():
    narrow = tables.table(["k", "a long header wraps"], [[1, 0.5]])
    wide = tables.table(["round", *map(str, range(7))], [["weights left (%)", *([51.3] * 7)]])
    assert narrow.phone_width() == 1 + 2 + len("header") <= tables.PHONE_CHARACTERS
    assert wide.phone_width() == len("weights") + 7 * (2 + len("51.3")) > tables.PHONE_CHARACTERS
    assert _Cells(narrow.html()).tables == [{"class": "nnc-table"}]
    assert _Cells(wide.html()).tables == [{"class": "nnc-table nnc-wide"}]


def test_ipython_shows_the_plain_text_and_the_html():
    formatter = pytest.importorskip("IPython.core.formatters")
    t = tables.table(["k", "train"], [[1, 0.5], [2, None]])
    data, _ = formatter.DisplayFormatter().format(t)
    assert data["text/plain"] == "k  train\n1    0.5\n2      -"
    assert data["text/html"] == t.html()
