"""CMS services: pages, media, themes; every write goes through here."""
