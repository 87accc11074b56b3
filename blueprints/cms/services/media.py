"""The media library: uploads per store, checked by content, stored behind a storage interface."""
from __future__ import annotations
