"""What the chapters' figures show, one module per chapter: `lib.scenes.<chapter>`.

A scene is `scene(fig, **values)`: it computes what it shows (with `lib.experiments`, cached
where a figure redraws it often) and draws it into `fig`, using the renderers of `lib.plotting`.
The same scene serves a static figure and an interactive one (`lib.widgets.interactive_figure`,
whose controls are the scene's keyword arguments).
"""
