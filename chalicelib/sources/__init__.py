"""Finding sources: Torznab/Newznab indexers (admin settings), the search over all of them, candidates scored."""
