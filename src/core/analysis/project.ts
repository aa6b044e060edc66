// The project index: module-level facts of the other files of a project (classes whose `forward`
// returns probabilities, functions returning them, re-exports), so `from .models import Net` in
// train.py sees what models.py defines. The host resolves module names to files and reads them; this
// module parses, analyses and summarises them, with a depth limit and a guard against import cycles.
import type { Range } from '../types';
import { LineIndex } from '../fix/text';
import type { Module } from '../ir';
import { analyze, type Analysis, type AnalyzeOptions } from './interpret';
import { UNKNOWN, type CallExpr, type Producer, type Value } from './values';

export interface ProjectHost {
  /** The file a module name refers to from `fromPath` (`level` leading dots), with its text. */
  resolve(fromPath: string, module: string, level: number): { path: string; text: string } | undefined;
}

/** Where an external producer is: spans of other files are never edited, only pointed at. */
export type ExternalRegistry = Map<number, { path: string; range: Range }>;

const MAX_DEPTH = 4;

interface Facts {
  members: Map<string, Value>;
}

/** Builds `resolveImport` for the analysis of the file at `path`. */
export class ProjectResolver {
  private readonly cache = new Map<string, { text: string; facts: Facts }>();

  constructor(
    private readonly host: ProjectHost,
    private readonly lower: (text: string, path: string) => Module,
    readonly externals: ExternalRegistry = new Map(),
  ) {}

  options(path: string, depth = 0, visiting: Set<string> = new Set([path])): AnalyzeOptions {
    return {
      resolveImport: (module, level, name) => {
        const target = this.host.resolve(path, module, level);
        if (!target) {
          // `from pkg import models` where models is a submodule, not a name of pkg/__init__.py
          if (name !== null && name !== '*') {
            const sub = this.host.resolve(path, module ? `${module}.${name}` : name, level);
            if (sub) return this.moduleValue(sub, module ? `${module}.${name}` : name, depth, visiting);
          }
          return undefined;
        }
        const mod = this.moduleValue(target, module, depth, visiting);
        if (name === null || name === '*') return mod;
        const v = mod.t === 'external' ? mod.members?.get(name) : undefined;
        if (v) return v;
        const sub = this.host.resolve(path, module ? `${module}.${name}` : name, level);
        return sub ? this.moduleValue(sub, module ? `${module}.${name}` : name, depth, visiting) : undefined;
      },
    };
  }

  private moduleValue(target: { path: string; text: string }, name: string, depth: number, visiting: Set<string>): Value {
    const facts = this.facts(target, depth + 1, visiting);
    return { t: 'external', kind: 'module', name, path: target.path, members: facts.members };
  }

  private facts(target: { path: string; text: string }, depth: number, visiting: Set<string>): Facts {
    const cached = this.cache.get(target.path);
    if (cached && cached.text === target.text) return cached.facts;
    if (depth > MAX_DEPTH || visiting.has(target.path)) return { members: new Map() };
    const inner = new Set(visiting).add(target.path);
    let facts: Facts;
    try {
      const module = this.lower(target.text, target.path);
      const a = analyze(module, this.options(target.path, depth, inner));
      facts = { members: this.exports(a, target) };
    } catch {
      facts = { members: new Map() }; // a broken module never breaks the file that imports it
    }
    this.cache.set(target.path, { text: target.text, facts });
    return facts;
  }

  private exports(a: Analysis, target: { path: string; text: string }): Map<string, Value> {
    // Line starts only when a producer is pointed at (most modules export none).
    let index: LineIndex | undefined;
    const lines = { rangeOf: (s: number, e: number) => (index ??= new LineIndex(target.text)).rangeOf(s, e) };
    const out = new Map<string, Value>();
    for (const [name, v] of a.globals) {
      const ext = (kind: 'class' | 'function' | 'object', output: Value): Value => ({ t: 'external', kind, name, path: target.path, output: this.externalize(output, target.path, lines) });
      switch (v.t) {
        case 'function':
          out.set(name, ext('function', a.returnOf(v)));
          break;
        case 'class':
          out.set(name, ext('class', a.outputOf({ t: 'object', cls: v.cls })));
          break;
        case 'object':
        case 'container':
          out.set(name, ext('object', a.outputOf(v)));
          break;
        case 'tensor':
          out.set(name, this.externalize(v, target.path, lines));
          break;
        case 'ref':
        case 'external':
          out.set(name, v);
          break;
        default:
          // Library objects built there (loss modules, layers) and everything else: not carried
          // across files (their syntax belongs to the other file).
          out.set(name, UNKNOWN);
      }
    }
    return out;
  }

  /** A value of another file, with its producer turned into a pointer at that file. */
  private externalize(v: Value, path: string, lines: Pick<LineIndex, 'rangeOf'>): Value {
    if (v.t !== 'tensor') return v.t === 'tuple' ? { t: 'tuple', items: v.items.map((x) => this.externalize(x, path, lines)) } : v.t === 'ref' ? v : UNKNOWN;
    if (!v.producer || v.producer.external) return v;
    const p = v.producer;
    const id = this.externals.size + 1;
    this.externals.set(id, { path, range: lines.rangeOf(p.call.s, p.call.e) });
    const producer: Producer = {
      via: p.via === 'model' ? 'model' : 'user-function',
      call: syntheticCall(-id),
      spec: p.spec,
      api: p.api,
      description: p.description,
      derived: true,
      external: { path, range: lines.rangeOf(p.call.s, p.call.e) },
    };
    return { t: 'tensor', kind: v.kind, framework: v.framework, guarded: v.guarded, complement: v.complement, producer };
  }
}

/** A call node at a negative offset: rules that point at it are redirected to the other file. */
function syntheticCall(offset: number): CallExpr {
  const at = { s: offset, e: offset };
  return { k: 'call', fn: { k: 'other', kids: [], ...at }, args: [], argsS: offset, argsE: offset, ...at };
}
