"""The CTO role explained: Markdown guides rendered server-side.

Other apps link into the guides through these two functions (see docs/guides.md).
"""

from ctoready.guides.library import all_anchors, guide_url

__all__ = ["all_anchors", "guide_url"]
