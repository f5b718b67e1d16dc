"""Jobs: listings, member profiles, matching, recommendations and candidate search."""
