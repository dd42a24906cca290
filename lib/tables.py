"""A table of numbers for the pages: `display(tables.table(columns, rows, formats))`.

Every page shows its small tables through this one function, so how a table looks is decided here,
not in each cell. A table has two forms of the same cells:

- `text/plain` (`str`, `repr`, what `print` shows, what nbval compares and what the prose-number test
  reads): the aligned text below;
- `text/html` (`_repr_html_`, what the site shows): a real <table> with class `nnc-table`, the
  headers in <th>, each row's label in a <th scope="row">, and each cell's header in `data-label`, so
  that the site's _static/tables.css can set it narrow on a phone: smaller type, headers and labels
  wrapping at spaces, and a table that still cannot fit a phone's column shown as one card per row.

    >>> print(table(["layer", "std h", "std dL/dW\\n(x 1e-3)"],
    ...             [[1, 0.66, 0.9], [10, 0.35, None]],
    ...             formats=["d", ".2f", ".1f"]))
                  std dL/dW
    layer  std h   (x 1e-3)
    1       0.66        0.9
    10      0.35          -

The layout: one column per header; a header may span lines ("\\n"), and shorter headers sit on
the bottom line; the first column (the labels) is left-aligned, every other column right-aligned,
headers with their column; two spaces between columns; no trailing spaces. A column's unit
belongs in its header ("time (ms)"), not in every cell.
"""

import html
import numbers

import numpy as np

__all__ = ["Table", "table"]

SEPARATOR = "  "
# Characters that fit a 358 px phone column at the site's table size (13 px, ~6.9 px a character,
# padding as wide as the two-space separator; ~10% spare): a table that needs more even with its
# headers and labels wrapped is shown on a phone as one card per row (_static/tables.css).
PHONE_CHARACTERS = 46


def _is_number(cell):
    return isinstance(cell, numbers.Real) and not isinstance(cell, (bool, np.bool_))


class Table:
    """A table of numbers: its headers and its cells as text, ready to display.

    Build it with `table(...)`, which checks the input. `str(t)` (what `print(t)` shows) and
    `repr(t)` (IPython's text/plain) are the aligned plain text; `html()` (IPython's text/html)
    is the same table as a <table>. The parts stay available for other forms of the same
    table: `header_lines` (one tuple of lines per column, all of the same length) and `cells`
    (one tuple of strings per row, already formatted).
    """

    def __init__(self, header_lines, cells):
        self.header_lines = header_lines
        self.cells = cells

    def _widths(self):
        return [max(len(text) for text in (*self.header_lines[j], *(row[j] for row in self.cells)))
                for j in range(len(self.header_lines))]

    def lines(self):
        """The plain-text table as a list of lines (headers first), without newlines."""
        widths = self._widths()

        def line(texts):
            first = texts[0].ljust(widths[0])
            rest = [text.rjust(width) for text, width in zip(texts[1:], widths[1:])]
            return SEPARATOR.join([first, *rest]).rstrip()

        n_header = len(self.header_lines[0])
        header = [line([lines[i] for lines in self.header_lines]) for i in range(n_header)]
        return header + [line(row) for row in self.cells]

    def __str__(self):
        return "\n".join(self.lines())

    def __repr__(self):
        return str(self)

    def phone_width(self):
        """The characters a line of the table needs when headers and labels (the first column)
        wrap at spaces and the other cells do not: per column its longest unbreakable text, plus two
        characters between columns."""
        def longest_word(texts):
            return max((len(word) for text in texts for word in text.split()), default=0)

        columns = [[row[j] for row in self.cells] for j in range(len(self.header_lines))]
        widths = [max(longest_word(self.header_lines[j]),
                      longest_word(column) if j == 0 else max(map(len, column), default=0))
                  for j, column in enumerate(columns)]
        return sum(widths) + len(SEPARATOR) * (len(widths) - 1)

    def html(self):
        """The table as an HTML <table> (what `_repr_html_` gives IPython for the site).

        One <th scope="col"> per column, its header lines joined by <br>; per row, the label (first
        column) in a <th scope="row"> and the other cells in <td>, each with `data-label`: its
        column's header on one line (what a card shows before the label and each value). All text is escaped. The class
        `nnc-wide` marks a table whose `phone_width()` is more than `PHONE_CHARACTERS`.
        """
        labels = [" ".join(line for line in lines if line) for lines in self.header_lines]
        wide = self.phone_width() > PHONE_CHARACTERS
        head = "".join(f'<th scope="col">{"<br>".join(html.escape(line) for line in lines if line)}</th>'
                       for lines in self.header_lines)
        body = []
        for row in self.cells:
            label = f'<th scope="row" data-label="{html.escape(labels[0])}">{html.escape(row[0])}</th>'
            cells = [label] + [f'<td data-label="{html.escape(label)}">{html.escape(text)}</td>'
                               for label, text in zip(labels[1:], row[1:])]
            body.append(f"<tr>{''.join(cells)}</tr>")
        kind = "nnc-table nnc-wide" if wide else "nnc-table"
        return (f'<table class="{kind}">\n<thead><tr>{head}</tr></thead>\n'
                f'<tbody>\n' + "\n".join(body) + "\n</tbody>\n</table>")

    def _repr_html_(self):
        return self.html()


def _format_cell(cell, spec, missing, where, spec_name):
    if cell is None:
        return missing
    if isinstance(cell, str):
        return cell
    if not _is_number(cell):
        raise TypeError(f"{where} must be a number, a string or None, got {cell!r}")
    try:
        return format(cell, spec)
    except (ValueError, TypeError) as error:
        raise ValueError(f"{spec_name} {spec!r} cannot format {where} = {cell!r}: {error}") from None


def table(columns, rows, formats=None, missing="-"):
    """A table of `rows` under the headers `columns`; `display` it (or `print` it: the plain text).

    columns: a sequence of k strings, the headers; "\\n" in a header starts a second line. The unit
             of a column goes in its header.
    rows:    a sequence of rows, each a sequence of k cells. A cell is a number (int, float, numpy
             scalar; not bool), shown with its column's format; a string, shown as it is (e.g.
             "never", "~570", or a number formatted by the caller); or None, shown as `missing`.
    formats: None (every number as `format(x, "")`), one format spec for every column (e.g. ".3g"),
             or a sequence of k specs, one per column (None in it: the default "").
             Specs are those of `format`: ".3g", ".1e", "+.2f", ".0%", "d", ",".
    missing: the string shown for a None cell, "-" unless given.

    Returns a `Table`, shown as a <table> by IPython; `str()` of it is the aligned plain text: the
    first column (labels) left-aligned, the others right-aligned, two spaces between columns. Checks: TypeError for a
    wrong type, ValueError for a wrong value (a row with another number of cells than `columns`,
    a format that cannot format a cell, no columns), naming the argument.

    Example:

        print(table(["init", "seed", "steps to 2.0"],
                    [["xavier_normal", 0, None], ["kaiming_normal", 0, 65]],
                    formats=[None, "d", "d"], missing="never"))

        init            seed  steps to 2.0
        xavier_normal      0         never
        kaiming_normal     0            65
    """
    if isinstance(columns, str) or not hasattr(columns, "__len__") or not hasattr(columns, "__iter__"):
        raise TypeError(f"columns must be a sequence of header strings, got {columns!r}")
    columns = list(columns)
    if not columns:
        raise ValueError("columns must name at least one column, got none")
    for j, header in enumerate(columns):
        if not isinstance(header, str):
            raise TypeError(f"columns[{j}] must be a string, got {header!r}")
    k = len(columns)

    if formats is None or isinstance(formats, str):
        specs = [formats or ""] * k
    elif hasattr(formats, "__len__") and hasattr(formats, "__iter__"):
        specs = list(formats)
        if len(specs) != k:
            raise ValueError(f"formats must have one spec per column ({k}), got {len(specs)}")
        for j, spec in enumerate(specs):
            if spec is not None and not isinstance(spec, str):
                raise TypeError(f"formats[{j}] must be a format spec string or None, got {spec!r}")
        specs = [spec or "" for spec in specs]
    else:
        raise TypeError(f"formats must be None, a format spec string or a sequence of them, got {formats!r}")
    spec_names = ["formats" if formats is None or isinstance(formats, str) else f"formats[{j}]"
                  for j in range(k)]

    if not isinstance(missing, str):
        raise TypeError(f"missing must be a string, got {missing!r}")
    if isinstance(rows, str) or not hasattr(rows, "__iter__"):
        raise TypeError(f"rows must be a sequence of rows, got {rows!r}")

    cells = []
    for i, row in enumerate(rows):
        if isinstance(row, str) or not hasattr(row, "__len__") or not hasattr(row, "__iter__"):
            raise TypeError(f"rows[{i}] must be a sequence of {k} cells, got {row!r}")
        row = list(row)
        if len(row) != k:
            raise ValueError(f"rows[{i}] has {len(row)} cells, columns has {k}: {row!r}")
        cells.append(tuple(_format_cell(cell, specs[j], missing, f"rows[{i}][{j}]", spec_names[j])
                           for j, cell in enumerate(row)))

    split = [header.split("\n") for header in columns]
    height = max(len(lines) for lines in split)
    header_lines = [tuple([""] * (height - len(lines)) + lines) for lines in split]
    return Table(header_lines, cells)
