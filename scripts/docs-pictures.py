#!/usr/bin/env python3
"""
The README's pictures of the generated tabs (docs/tabs/*.png): runs `imc demo`, renders the top of
each generated tab with ../shared/tools/render-tabs.py (LibreOffice), puts the pages of a tab side
by side, trims the blank margins and saves a small palette PNG. Needs LibreOffice, pdftoppm and
Pillow (Debian python3-pil); run with the system Python: /usr/bin/python3 scripts/docs-pictures.py.
"""
import glob
import os
import subprocess
import sys
import tempfile

from PIL import Image, ImageChops

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RENDER = os.path.join(ROOT, "..", "shared", "tools", "render-tabs.py")
TABS = ["Scorecard", "Segmentation", "Customer Value", "Cohorts", "Lead Scoring", "Journey", "Attribution", "Campaign KPIs", "Experiments", "Budget"]
ROWS = 34
WIDTH = 1400  # pixels of the saved picture


def trimmed(image: Image.Image) -> Image.Image:
    background = Image.new(image.mode, image.size, (255, 255, 255))
    box = ImageChops.difference(image, background).getbbox()
    return image.crop(box) if box else image


def main() -> None:
    if not os.path.exists(RENDER):
        sys.exit(f"docs-pictures: {RENDER} is missing (the shared tools sit beside the checkout)")
    out = os.path.join(ROOT, "docs", "tabs")
    os.makedirs(out, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        subprocess.run(["node", os.path.join(ROOT, "bin", "imc.mjs"), "demo", "--out-dir", work], check=True, stdout=subprocess.DEVNULL)
        book = os.path.join(work, "imc-demo.xlsx")
        for tab in TABS:
            pages_dir = os.path.join(work, "pages")
            subprocess.run(["python3", RENDER, book, tab, "--rows", str(ROWS), "--cols", "14", "--dpi", "110", "--out", pages_dir], check=True, stdout=subprocess.DEVNULL)
            stem = tab.replace(" ", "_")
            files = sorted(glob.glob(os.path.join(pages_dir, f"{stem}-*.png")), key=lambda f: int(f.rsplit("-", 1)[1].split(".")[0]))
            pages = [trimmed(Image.open(f).convert("RGB")) for f in files]
            height = max(p.height for p in pages)
            sheet = Image.new("RGB", (sum(p.width for p in pages), height), (255, 255, 255))
            x = 0
            for page in pages:
                sheet.paste(page, (x, 0))
                x += page.width
            if sheet.width > WIDTH:
                sheet = sheet.resize((WIDTH, round(sheet.height * WIDTH / sheet.width)), Image.LANCZOS)
            target = os.path.join(out, f"{tab.lower().replace(' ', '-')}.png")
            sheet.convert("P", palette=Image.ADAPTIVE, colors=128).save(target, optimize=True)
            for f in files:
                os.remove(f)
            print(f"{target}: {sheet.width}×{sheet.height}, {os.path.getsize(target) // 1024} KB")


if __name__ == "__main__":
    main()
