"""The media loop: remux and HLS variants made on demand (``media.prepare``)."""
