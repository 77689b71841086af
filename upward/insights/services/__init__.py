"""Writes for org insights: standings kept current, and the insight settings."""

from upward.insights.services.settings import *  # noqa: F403
