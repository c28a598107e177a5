DROP TRIGGER media_items_search_words_update ON media_items;
DROP TRIGGER media_items_search_words_insert ON media_items;
DROP FUNCTION search_words_add();
DROP TABLE search_word_variants;
DROP TABLE search_words;
