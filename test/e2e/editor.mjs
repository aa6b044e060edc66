// Driving VS Code's workbench (code-server) from Playwright: open a file, read squiggles and where
// they sit over the text, hover, quick fix menu, command palette, save.
import { poll, sleep } from './harness.mjs';

const MOD = 'Control';

// The active editor's Monaco editors: a text editor's one, or the cell editors of a notebook (VS Code
// renders the notebook editor in an overlay outside `.editor-instance`). Only the visible ones count:
// a notebook opened earlier stays in the page, hidden, while another tab is active.
const EDITORS = '.editor-instance .monaco-editor, .notebookOverlay .monaco-editor';
const LINES = '.editor-instance .monaco-editor .view-lines .view-line, .notebookOverlay .monaco-editor .view-lines .view-line';

export async function waitForWorkbench(page) {
  await page.waitForSelector('.monaco-workbench', { timeout: 120_000 });
  // The explorer lists the folder once the workbench has restored.
  await poll('the explorer to list the workspace files', () => page.locator('.explorer-folders-view .monaco-list-row').count(), { timeout: 120_000 });
}

/** Quick Open (Ctrl+P), the file name, Enter; waits until its editor is the active one. */
export async function openFile(page, name) {
  await page.keyboard.press(`${MOD}+P`);
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(name);
  await poll(`Quick Open to list ${name}`, () => page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).count());
  await page.keyboard.press('Enter');
  await poll(`${name} to be the active editor tab`, async () => (await page.locator('.tab.active').getAttribute('aria-label'))?.includes(name));
  await page.locator(`:is(${EDITORS}) .view-lines:visible`).first().waitFor({ state: 'visible' });
}

/** The active editor's text lines as rendered (non-breaking spaces as spaces). */
export async function viewLines(page) {
  return page.evaluate((sel) =>
    [...document.querySelectorAll(sel)]
      .filter((l) => l.getClientRects().length > 0 && getComputedStyle(l).visibility !== 'hidden')
      .map((l) => ({ top: l.getBoundingClientRect().top, text: l.textContent.replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top)
      .map((l) => l.text),
  LINES);
}

/** Squiggles of the active editor: kind and screen box. */
export async function squiggles(page) {
  return page.evaluate(
    (sel) =>
      [...document.querySelectorAll(sel)]
        .filter((el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden')
        .map((el) => {
          const r = el.getBoundingClientRect();
          const kind = [...el.classList].find((c) => c.startsWith('squiggly-')).slice('squiggly-'.length);
          return { kind, left: r.left, right: r.right, top: r.top, bottom: r.bottom };
        }),
    `:is(${EDITORS}) .view-overlays [class*="squiggly-"]`,
  );
}

/** The screen box of `needle` inside the rendered line that contains `lineText`. */
export async function textBox(page, lineText, needle) {
  return page.evaluate(
    ({ lineText, needle, sel }) => {
      for (const line of document.querySelectorAll(sel)) {
        if (line.getClientRects().length === 0 || getComputedStyle(line).visibility === 'hidden') continue;
        const text = line.textContent.replace(/\u00a0/g, ' ');
        if (!text.includes(lineText)) continue;
        const at = text.indexOf(needle);
        if (at < 0) return null;
        // Map the character offsets onto text nodes.
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        const range = document.createRange();
        let pos = 0;
        let startSet = false;
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const len = n.textContent.length;
          if (!startSet && at < pos + len) {
            range.setStart(n, at - pos);
            startSet = true;
          }
          if (startSet && at + needle.length <= pos + len) {
            range.setEnd(n, at + needle.length - pos);
            const r = range.getBoundingClientRect();
            return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
          }
          pos += len;
        }
      }
      return null;
    },
    { lineText, needle, sel: LINES },
  );
}

/** The squiggle of `kind` lying under `needle` on the line containing `lineText`, if any. */
export async function squiggleUnder(page, kind, lineText, needle) {
  const box = await textBox(page, lineText, needle);
  if (!box) return null;
  const all = await squiggles(page);
  return all.find((s) => s.kind === kind && s.top < box.bottom && s.bottom > box.top && Math.abs(s.left - box.left) <= 1.5 && Math.abs(s.right - box.right) <= 1.5) ?? null;
}

/** Moves the mouse onto a box and returns the visible hover's text once it contains all of `expect`. */
export async function hoverText(page, box, expect, timeout = 30_000) {
  const wanted = Array.isArray(expect) ? expect : [expect];
  await page.mouse.move(5, 5);
  await sleep(100);
  const x = (box.left + box.right) / 2;
  const y = (box.top + box.bottom) / 2;
  await page.mouse.move(x - 3, y);
  await page.mouse.move(x, y);
  return poll(`a hover containing ${JSON.stringify(wanted)}`, async () => {
    const texts = await page.locator('.monaco-hover:visible').allInnerTexts();
    return texts.find((t) => wanted.every((w) => t.includes(w)));
  }, { timeout });
}

export async function dismissHover(page) {
  await page.mouse.move(5, 5);
  await page.keyboard.press('Escape');
  await poll('the hover to close', async () => (await page.locator('.monaco-hover:visible').count()) === 0, { timeout: 5_000 }).catch(() => undefined);
}

/**
 * Puts the cursor on a box, opens the Quick Fix menu (Ctrl+.) and waits for an item. On a loaded
 * machine the first request can be slow or lost behind the lightbulb's own: retry a few times.
 */
export async function openQuickFix(page, box, itemText, attempts = 4) {
  const item = page.locator('.action-widget .monaco-list-row.action', { hasText: itemText });
  let lastTitles = [];
  for (let i = 1; i <= attempts; i++) {
    await page.mouse.click(box.left + 2, (box.top + box.bottom) / 2);
    await page.keyboard.press(`${MOD}+.`);
    const found = await poll(`the Quick Fix menu to offer ${JSON.stringify(itemText)}`, () => item.count(), { timeout: 10_000 }).catch(() => 0);
    if (found) return item.first();
    lastTitles = await quickFixTitles(page);
    await page.keyboard.press('Escape');
  }
  throw new Error(`the Quick Fix menu did not offer ${JSON.stringify(itemText)} after ${attempts} tries (menu: ${JSON.stringify(lastTitles)})`);
}

export async function quickFixTitles(page) {
  return page.locator('.action-widget .monaco-list-row.action .title').allInnerTexts();
}

/** Runs a command from the Command Palette by its title. */
export async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title });
  await poll(`the Command Palette to list ${JSON.stringify(title)}`, () => row.count());
  await page.keyboard.press('Enter');
}

export async function save(page) {
  await page.keyboard.press(`${MOD}+S`);
}

/** Colours of the rendered tokens on the line containing `lineText`: [{ text, color }]. */
export async function tokens(page, lineText) {
  return page.evaluate(({ lineText, sel }) => {
    for (const line of document.querySelectorAll(sel)) {
      if (line.getClientRects().length === 0 || getComputedStyle(line).visibility === 'hidden') continue;
      const text = line.textContent.replace(/\u00a0/g, ' ');
      if (!text.includes(lineText)) continue;
      return [...line.querySelectorAll('span > span')].map((s) => ({ text: s.textContent.replace(/\u00a0/g, ' '), color: getComputedStyle(s).color }));
    }
    return null;
  }, { lineText, sel: LINES });
}
