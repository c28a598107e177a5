"""Subtitles for library items that lack a language: OpenSubtitles search/download, preferred order."""
