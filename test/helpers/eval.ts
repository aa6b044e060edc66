// Shared by the evaluator tests: hover at an offset, expecting a value or an error.
import assert from 'node:assert/strict';
import type { HoverData, HoverError } from '../../src/core';
import { getEngine } from './engine';

/** Offset of the `nth` occurrence of `needle` (plus `delta`) in `text`. */
export function at(text: string, needle: string, delta = 0, nth = 0): number {
  let i = -1;
  for (let k = 0; k <= nth; k++) {
    i = text.indexOf(needle, i + 1);
    if (i < 0) throw new Error(`${needle} not found`);
  }
  return i + delta;
}

export async function hover(text: string, offset: number): Promise<HoverData> {
  const r = (await getEngine()).evaluate(text, offset);
  if ('error' in r) assert.fail(`not evaluable: ${r.error}`);
  return r;
}

export async function hoverError(text: string, offset: number): Promise<HoverError> {
  const r = (await getEngine()).evaluate(text, offset);
  assert.ok('error' in r, `expected an error, got ${JSON.stringify((r as HoverData).value)}`);
  return r as HoverError;
}
