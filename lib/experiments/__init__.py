"""Every number a page prints, one module per page: `lib.experiments.<page>` (the page's file name,
with underscores), with the settings, seeds and cached runs it uses.

Each function runs one measurement and returns plain numbers or arrays (no drawing): the notebook
prints them and `lib.figures.<page>` draws them. What two pages share lives in a module named for
what it is (`lib.propagation`, `lib.network`, `lib.data`, ...).
"""
