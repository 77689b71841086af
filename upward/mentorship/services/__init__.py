"""Changes to mentorship: profiles and verification, requests, programmes, rooms
(goals, messages, sessions, action items), ending and rating, reminders."""

from __future__ import annotations

from upward.mentorship.services.accountability import *  # noqa: F403
from upward.mentorship.services.profiles import *  # noqa: F403
from upward.mentorship.services.programmes import *  # noqa: F403
from upward.mentorship.services.ratings import *  # noqa: F403
from upward.mentorship.services.requests import *  # noqa: F403
from upward.mentorship.services.rooms import *  # noqa: F403
from upward.mentorship.services.sessions import *  # noqa: F403
