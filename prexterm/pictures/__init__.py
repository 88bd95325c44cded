"""Pictures in the terminal: decoding, half-block drawing, the kitty protocol, a cache.

Nothing here imports Textual, and Pillow (the optional `images` extra) is imported
only when a picture is actually read: without it every picture reports
"pictures need pip install 'prexterm[images]'" and the slides show placeholders.

The pieces, from the bottom up:

- `decode`: a file to a small RGB image, or a readable reason why not; never raises.
- `halfblock`: an image as Rich cells, two pixels per cell with "▀".
- `contrast`: WCAG contrast, dimming, and a readable text colour over a picture.
- `kitty`: escape sequences of the kitty graphics protocol, and `choose_protocol`.
- `cache`: a thread-safe LRU of decoded pictures, filled ahead of time by workers.
- `hook`: the renderer's `PictureHook` and full-area photos.
"""
