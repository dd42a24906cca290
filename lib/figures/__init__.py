"""Every figure of a page, one module per page: `lib.figures.<page>` (the page's file name, with
underscores), and `lib.figures.style` for the course style and the renderers two or more pages use.

A figure is `figure(fig, **values)`: it draws into `fig` what it shows, computed by the page's
`lib.experiments` module (cached where a figure redraws it often). The same function serves a
static figure and an interactive one (`lib.widgets.interactive_figure`, whose controls are its
keyword arguments).
"""
