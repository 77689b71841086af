"""Who may see and change evidence, threads and posts, packets and share links.

Every view and endpoint fetches these objects through the functions here; missing
and forbidden both raise Http404, so ids don't leak.
"""

from __future__ import annotations

from upward.evidence.access.entries import *  # noqa: F403
from upward.evidence.access.packets import *  # noqa: F403
from upward.evidence.access.threads import *  # noqa: F403
