// A document's text and its tree-sitter tree, kept between checks. Edits are applied to the text
// and, as `tree.edit(...)`, to the old tree; the next `tree()` re-parses with the old tree, so
// tree-sitter reuses every subtree the edits did not touch. Plain data + tree-sitter: no Node, no vscode.
import { EditSession } from '../../core/incremental';
import { hasHiddenComments, pointAt, type GrammarName, type Parsers, type SyntaxTree } from '../../core/parser';
import type { TextChange } from './protocol';

interface Point {
  row: number;
  column: number;
}

export class IncrementalText {
  private current: SyntaxTree | undefined;
  /** The tree is behind the text: edits were applied to it, it has not been re-parsed yet. */
  private dirty = false;
  /**
   * The text `current` was parsed from, while `current` has comment runs tree-sitter was not shown
   * (core/parser.ts): such a tree is not edited; `Parsers.reparse` computes the edit from the texts.
   */
  private parsedText: string | undefined;
  /** What the engine keeps of this text's last check (IR, analysis) for the next (`CheckOptions.session`). */
  readonly session = new EditSession();
  /** Re-parses done with an old tree / from scratch (for tests and the log). */
  readonly stats = { incremental: 0, full: 0 };

  constructor(
    private textValue: string,
    readonly grammar: GrammarName,
  ) {}

  get text(): string {
    return this.textValue;
  }

  /**
   * Applies a VS Code content change: replace `length` UTF-16 units at `offset` by `text`; `start`
   * and `end` are the replaced range's positions in the text before the change (tree-sitter's
   * columns are UTF-16 units here, as VS Code's). Changes of one event are applied in order.
   */
  applyChange(c: TextChange): void {
    const old = this.textValue;
    if (c.offset < 0 || c.length < 0 || c.offset + c.length > old.length) throw new RangeError(`change [${c.offset}, ${c.offset + c.length}) outside a text of ${old.length}`);
    this.textValue = old.slice(0, c.offset) + c.text + old.slice(c.offset + c.length);
    if (!this.current) return;
    if (this.parsedText !== undefined) {
      this.dirty = true;
      return;
    }
    this.current.edit({
      startIndex: c.offset,
      oldEndIndex: c.offset + c.length,
      newEndIndex: c.offset + c.text.length,
      startPosition: { row: c.start.line, column: c.start.character },
      oldEndPosition: { row: c.end.line, column: c.end.character },
      newEndPosition: endOf({ row: c.start.line, column: c.start.character }, c.text),
    });
    this.dirty = true;
  }

  /** Replaces the whole text, telling tree-sitter only about the part between the common prefix and suffix. */
  setText(text: string): void {
    const old = this.textValue;
    if (text === old) return;
    let s = 0;
    const max = Math.min(old.length, text.length);
    while (s < max && old.charCodeAt(s) === text.charCodeAt(s)) s++;
    let eo = old.length;
    let en = text.length;
    while (eo > s && en > s && old.charCodeAt(eo - 1) === text.charCodeAt(en - 1)) {
      eo--;
      en--;
    }
    const start = pointAt(old, s);
    this.applyChange({ offset: s, length: eo - s, text: text.slice(s, en), start: { line: start.row, character: start.column }, end: toPos(pointAt(old, eo)) });
  }

  /** The tree of the current text, re-parsed incrementally when edits came in since the last call. */
  tree(parsers: Parsers): SyntaxTree {
    if (this.current && !this.dirty) return this.current;
    const old = this.current;
    const next = old && this.parsedText !== undefined ? parsers.reparse(this.grammar, old, this.parsedText, this.textValue) : parsers.parse(this.grammar, this.textValue, old);
    this.parsedText = hasHiddenComments(next) ? this.textValue : undefined;
    if (old) {
      this.stats.incremental++;
      old.delete();
    } else this.stats.full++;
    this.current = next;
    this.dirty = false;
    return next;
  }

  dispose(): void {
    this.session.reset();
    this.current?.delete();
    this.current = undefined;
  }
}

function toPos(p: Point): { line: number; character: number } {
  return { line: p.row, character: p.column };
}

/** The position after inserting `text` at `start`. */
function endOf(start: Point, text: string): Point {
  const lastNl = text.lastIndexOf('\n');
  if (lastNl < 0) return { row: start.row, column: start.column + text.length };
  let rows = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) rows++;
  return { row: start.row + rows, column: text.length - lastNl - 1 };
}

