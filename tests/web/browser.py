"""Real-browser plumbing: the app served by uvicorn on a free loopback port, Debian's Chromium
driven by Playwright (never a downloaded browser), axe-core, and the page-text checks."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI
from playwright.sync_api import Page

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# Tokens that stay in Latin letters in Chinese too: file formats, standards, measures' symbols.
# Chinese clinical writing keeps the usual abbreviations (FPG, OGTT, LDL-C) and standard names
# (WS/T) in Latin letters; these are not untranslated English.
LATIN_OK = {
    "CSV", "XLSX", "PDF", "FHIR", "X", "HbA1c", "LDL", "HDL", "LDL-C", "HDL-C", "non-HDL-C", "eGFR",
    "ECG", "BMI", "FPG", "OGTT", "SUA", "ALT", "AST", "GGT", "TC", "TG", "CKD-EPI", "KDIGO",
    "WS", "T", "mmHg", "mmol", "mol", "umol", "µmol", "kg", "cm", "m", "L", "U", "mL", "min",
    "g", "dL",
}  # fmt: skip
WORD = re.compile(r"[A-Za-z][A-Za-z0-9'’-]*[A-Za-z0-9]|[A-Za-z]")
HAN = re.compile(r"[\u3400-\u9fff]")


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """The app on 127.0.0.1 at a port the kernel picks; stopped on exit."""
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


VISIBLE_TEXT = """() => {
  const copy = document.body.cloneNode(true);
  copy.querySelectorAll('[translate="no"], script, style, [lang]:not([lang="' +
      document.documentElement.lang + '"])').forEach(e => e.remove());
  copy.querySelectorAll('svg title, svg desc').forEach(e => e.remove());
  const holder = document.createElement('div');
  holder.style.position = 'absolute'; holder.style.left = '-99999px';
  holder.appendChild(copy);
  document.documentElement.appendChild(holder);
  const text = holder.innerText;
  holder.remove();
  const extra = Array.from(document.querySelectorAll('input[placeholder], [aria-label]'))
    .filter(e => !e.closest('[translate="no"]'))
    .map(e => (e.getAttribute('placeholder') || '') + ' ' + (e.getAttribute('aria-label') || ''));
  return text + ' ' + extra.join(' ') + ' ' + document.title;
}"""


def visible_text(page: Page) -> str:
    """What a reader sees in the page's language: text minus code, names and numbers marked
    translate="no", minus runs in another language (the language switch)."""
    return str(page.evaluate(VISIBLE_TEXT))


def untranslated(page: Page, language: str) -> list[str]:
    """English words on a Chinese page, or Chinese characters on an English page."""
    text = visible_text(page)
    if language == "zh_CN":
        return sorted({w for w in WORD.findall(text) if w.strip("-") not in LATIN_OK})
    return sorted(set(HAN.findall(text)))


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Serious and critical axe-core (WCAG 2 A/AA) violations of the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    result = page.evaluate(
        """async () => {
          const r = await axe.run(document, {runOnly: {type: 'tag',
              values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
          return r.violations.map(v => ({id: v.id, impact: v.impact,
              nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
        }"""
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


def shoot(page: Page, name: str) -> None:
    """Screenshots at desktop and phone width (CI artefacts, see README)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)
