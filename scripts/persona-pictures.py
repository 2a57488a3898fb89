#!/usr/bin/env python3
"""Draws the samples' persona pictures: flat-colour avatars, 96 x 96 PNG, printed as
data URIs (what Stagecraft stores). Usage: scripts/persona-pictures.py NAME... (or all)."""
import base64, io, sys
from PIL import Image, ImageDraw

S = 4  # drawn 4x larger, then reduced, for smooth edges

def person(d, cx, top, head, body_w, skin, hair, shirt, accent=None):
    # shoulders and body
    d.ellipse([cx - body_w, top + head * 1.7, cx + body_w, top + head * 1.7 + body_w * 2.2], fill=shirt)
    if accent:
        d.polygon([(cx, top + head * 1.95), (cx - head * 0.18, top + head * 2.2),
                   (cx, top + head * 3.0), (cx + head * 0.18, top + head * 2.2)], fill=accent)
    # head and hair
    d.ellipse([cx - head, top, cx + head, top + head * 2], fill=skin)
    d.chord([cx - head * 1.05, top - head * 0.08, cx + head * 1.05, top + head * 1.3], 180, 360, fill=hair)

def avatar(bg, draw):
    img = Image.new("RGB", (96 * S, 96 * S), bg)
    d = ImageDraw.Draw(img)
    draw(d)
    return img.resize((96, 96), Image.LANCZOS)

PICTURES = {
    # Marek: a business traveller, dark suit, red tie, on blue.
    "marek": lambda: avatar((47, 111, 222), lambda d: person(d, 48 * S, 18 * S, 17 * S, 36 * S,
                                                             (241, 200, 170), (70, 50, 40), (40, 44, 60), (200, 40, 50))),
    # The Nowaks: two parents and two children, on orange.
    "nowaks": lambda: avatar((217, 72, 15), lambda d: (
        person(d, 30 * S, 16 * S, 11 * S, 22 * S, (241, 200, 170), (120, 70, 30), (250, 220, 90)),
        person(d, 66 * S, 14 * S, 11 * S, 22 * S, (224, 180, 150), (40, 30, 25), (60, 140, 200)),
        person(d, 38 * S, 46 * S, 8 * S, 15 * S, (241, 200, 170), (200, 150, 60), (120, 200, 120)),
        person(d, 60 * S, 48 * S, 7 * S, 13 * S, (224, 180, 150), (40, 30, 25), (240, 240, 240)))),
    # Camille: a designer with a green scarf, on purple.
    "camille": lambda: avatar((134, 62, 201), lambda d: person(d, 48 * S, 18 * S, 17 * S, 36 * S,
                                                               (238, 196, 160), (30, 25, 30), (245, 240, 230), (60, 160, 110))),
    # Tomasz: a first-time visitor with a backpack strap, on teal.
    "tomasz": lambda: avatar((11, 114, 133), lambda d: person(d, 48 * S, 18 * S, 17 * S, 36 * S,
                                                              (236, 190, 150), (150, 100, 50), (230, 120, 40), (90, 60, 40))),
}

def data_uri(img):
    out = io.BytesIO()
    img.save(out, "PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()

if __name__ == "__main__":
    names = sys.argv[1:] or list(PICTURES)
    for n in names:
        print(n, data_uri(PICTURES[n]()))
