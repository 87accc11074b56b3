"""CMS tables: content pages and their revisions, the media library, store themes."""
from blueprints.cms.models.media import *  # noqa: F403
from blueprints.cms.models.pages import *  # noqa: F403
from blueprints.cms.models.themes import *  # noqa: F403
