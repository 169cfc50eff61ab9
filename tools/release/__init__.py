"""Fleet's release tool: what a change affects, image tags, renders, overlay bumps, promotion.

The GitHub workflows only call this tool (`release --help`); every decision they make lives here,
tested against real files, real git repositories and the real chart.
"""
