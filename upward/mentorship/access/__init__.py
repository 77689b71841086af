"""Who may see and change mentor profiles, requests, programmes and rooms.

Every view and endpoint fetches these objects through the functions here; missing
and forbidden both raise Http404, so ids don't leak. A room is read and written
by its mentor and its mentee only: not their manager, not admins, not site staff.
"""

from __future__ import annotations

from upward.mentorship.access.profiles import *  # noqa: F403
from upward.mentorship.access.programmes import *  # noqa: F403
from upward.mentorship.access.rooms import *  # noqa: F403
