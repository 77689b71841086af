"""Reads for mentorship: profiles and the directory, matching, rooms, the mentor
dashboard, programmes."""

from __future__ import annotations

from upward.mentorship.selectors.dashboard import *  # noqa: F403
from upward.mentorship.selectors.matching import *  # noqa: F403
from upward.mentorship.selectors.profiles import *  # noqa: F403
from upward.mentorship.selectors.programmes import *  # noqa: F403
from upward.mentorship.selectors.ratings import *  # noqa: F403
from upward.mentorship.selectors.rooms import *  # noqa: F403
