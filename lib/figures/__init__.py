"""Every figure of a page, one module per page: `lib.figures.<page>` (the page's file name, with
underscores), and `lib.figures.style` for the course style and the renderers two or more pages use.

A figure is `figure(fig, **values)`: it draws into `fig` what it shows, computed with the page's
`lib.experiments` module or `lib` directly (cached where a figure redraws it often); a number the
page prints comes from `lib.experiments`, never from here. The same function serves a
static figure and an interactive one (`lib.widgets.interactive_figure`, whose controls are its
keyword arguments).
"""
