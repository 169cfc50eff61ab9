"""Checks of the monorepo's build itself: boundaries and affected-only selection."""
