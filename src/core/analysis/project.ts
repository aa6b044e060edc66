// The project index: module-level facts of the other files of a project (classes whose `forward`
// returns probabilities, functions returning them, re-exports), so `from .models import Net` in
// train.py sees what models.py defines. The host resolves module names to files and reads them; this
// module parses, analyses and summarises them, with a depth limit and a guard against import cycles.
import type { Range, Settings } from '../types';
import { LineIndex } from '../fix/text';
import type { Module, Stmt } from '../ir';
import { knownNames, libraryRoots, type ApiSpec } from '../knowledge';
import { analyze, probabilityMethodNames, type Analysis, type AnalyzeOptions } from './interpret';
import { UNKNOWN, type CallExpr, type Producer, type Value } from './values';

export interface ProjectHost {
  /** The file a module name refers to from `fromPath` (`level` leading dots), with its text. */
  resolve(fromPath: string, module: string, level: number): { path: string; text: string } | undefined;
  /**
   * The settings the file at `path` will be checked with later by the same engine and host, when the
   * host knows (the CLI knows every file it checks). Such a file is checked when it is first imported
   * (`Engine.check` keeps the result for its turn), and its facts for the files that import it come
   * from that analysis: it is lowered and analysed once, not once as an import and again as a file.
   */
  plannedCheck?(path: string): Settings | undefined;
}

/** A file's own analysis (`rootOptions`), and what makes it the facts its importers see. */
export interface RootAnalysis {
  options: AnalyzeOptions;
  /** Keeps the facts of the analysed file for the files that import it later in the run. */
  remember(target: { path: string; text: string }, module: Module, analysis: Analysis): void;
}

/** Where an external producer is: spans of other files are never edited, only pointed at. */
export type ExternalRegistry = Map<number, { path: string; range: Range }>;

const MAX_DEPTH = 4;

interface Facts {
  members: Map<string, Value>;
  /** Analysed with phase 1 only: its functions, classes and objects export an unknown output. */
  inert: boolean;
  /** For an inert module: the library roots its text names or its imports may export refs of. */
  roots?: ReadonlySet<string>;
}

/** What the facts of the modules a module imported at its top level said (see `meaningfulText`). */
interface Imported {
  inert: boolean;
  /** The library roots of the refs they may export (`Facts.roots`). */
  roots: Set<string>;
}

/** Builds `resolveImport` for the analysis of the file at `path`. */
export class ProjectResolver {
  private readonly cache = new Map<string, { text: string; facts: Facts }>();

  constructor(
    private readonly host: ProjectHost,
    private readonly lower: (text: string, path: string) => Module,
    readonly externals: ExternalRegistry = new Map(),
    /**
     * Checks a file the host plans to check (`ProjectHost.plannedCheck`) now, when it is first
     * imported; true when that check remembered its facts (`rootOptions`).
     */
    private readonly checkFirst?: (target: { path: string; text: string }) => boolean,
  ) {}

  /**
   * The options of the analysis of a checked file itself (depth 0, as `options(path)`), which also
   * note whether the modules it imports are inert; `remember`, once the rules have run (a summary
   * asked for here before them could change what they see), keeps the file's facts for the files that
   * import it later in the run: the same facts a fresh analysis of it as an import, without cut-offs,
   * gives (inert or not, decided as `facts` decides).
   */
  rootOptions(path: string): RootAnalysis {
    const imported: Imported = { inert: true, roots: new Set() };
    const options = this.options(path, 0, new Set([path]), imported);
    return {
      options,
      remember: (target, module, analysis) => {
        const cached = this.cache.get(target.path);
        if (cached && cached.text === target.text) return;
        let facts: Facts;
        try {
          // The inert gate of `facts` (phase 2 resolved the imports inside functions already: asking
          // again is a cache hit).
          const inFunctions = scanFunctions(module.body, false, { imports: [], global: false });
          const roots = inFunctions.global ? undefined : inertRoots(target.text, inFunctions.imports, imported, options);
          const inert = roots !== undefined;
          facts = { members: this.exports(analysis, target, inert), inert, roots };
        } catch {
          facts = { members: new Map(), inert: true };
        }
        this.cache.set(target.path, { text: target.text, facts });
      },
    };
  }

  options(path: string, depth = 0, visiting: Set<string> = new Set([path]), imported?: Imported): AnalyzeOptions {
    const moduleValue = (target: { path: string; text: string }, name: string): Value => {
      const facts = this.facts(target, depth + 1, visiting);
      if (imported) {
        if (!facts.inert) imported.inert = false;
        else if (facts.roots) for (const r of facts.roots) imported.roots.add(r);
      }
      return { t: 'external', kind: 'module', name, path: target.path, members: facts.members };
    };
    return {
      resolveImport: (module, level, name) => {
        const target = this.host.resolve(path, module, level);
        if (!target) {
          // `from pkg import models` where models is a submodule, not a name of pkg/__init__.py
          if (name !== null && name !== '*') {
            const sub = this.host.resolve(path, module ? `${module}.${name}` : name, level);
            if (sub) return moduleValue(sub, module ? `${module}.${name}` : name);
          }
          return undefined;
        }
        const mod = moduleValue(target, module);
        if (name === null || name === '*') return mod;
        const v = mod.t === 'external' ? mod.members?.get(name) : undefined;
        if (v) return v;
        const sub = this.host.resolve(path, module ? `${module}.${name}` : name, level);
        return sub ? moduleValue(sub, module ? `${module}.${name}` : name) : undefined;
      },
    };
  }

  private facts(target: { path: string; text: string }, depth: number, visiting: Set<string>): Facts {
    const cached = this.cache.get(target.path);
    if (cached && cached.text === target.text) return cached.facts;
    // Cut by the depth limit or an import cycle: nothing is known, so nothing is exported.
    if (depth > MAX_DEPTH || visiting.has(target.path)) return { members: new Map(), inert: true };
    // A file the run checks later: checked now, its facts remembered from that analysis.
    if (this.checkFirst?.(target)) {
      const rooted = this.cache.get(target.path);
      if (rooted && rooted.text === target.text) return rooted.facts;
    }
    const inner = new Set(visiting).add(target.path);
    let facts: Facts;
    try {
      const module = this.lower(target.text, target.path);
      // Inert (see the end of this file) when no function declares `global`, every module it imports
      // is inert, and its text names nothing that gives a value a meaning; decided once the module
      // body (phase 1) has been walked, when the module-level imports are known. The imports inside
      // functions are resolved then, as phase 2 would when it walks them.
      const inFunctions = scanFunctions(module.body, false, { imports: [], global: false });
      const imported: Imported | undefined = inFunctions.global ? undefined : { inert: true, roots: new Set() };
      const options = this.options(target.path, depth, inner, imported);
      let roots: Set<string> | undefined;
      if (imported) {
        options.moduleBodyOnly = () => (roots = inertRoots(target.text, inFunctions.imports, imported, options)) !== undefined;
      }
      const a = analyze(module, options);
      const inert = roots !== undefined;
      facts = { members: this.exports(a, target, inert), inert, roots };
    } catch {
      facts = { members: new Map(), inert: true }; // a broken module never breaks the file that imports it
    }
    this.cache.set(target.path, { text: target.text, facts });
    return facts;
  }

  private exports(a: Analysis, target: { path: string; text: string }, inert: boolean): Map<string, Value> {
    // Line starts only when a producer is pointed at (most modules export none).
    let index: LineIndex | undefined;
    const lines = { rangeOf: (s: number, e: number) => (index ??= new LineIndex(target.text)).rangeOf(s, e) };
    const out = new Map<string, Value>();
    for (const [name, v] of a.globals) {
      const ext = (kind: 'class' | 'function' | 'object', output: Value): Value => ({ t: 'external', kind, name, path: target.path, output: this.externalize(output, target.path, lines) });
      switch (v.t) {
        case 'function':
          out.set(name, ext('function', inert ? UNKNOWN : a.returnOf(v)));
          break;
        case 'class':
          out.set(name, ext('class', inert ? UNKNOWN : a.outputOf({ t: 'object', cls: v.cls })));
          break;
        case 'object':
        case 'container':
          out.set(name, ext('object', inert ? UNKNOWN : a.outputOf(v)));
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

// ---- inert modules ----------------------------------------------------------------------------
//
// Most modules a checked file imports export nothing a rule can use: functions and classes whose
// output is `unknown` or a kindless tensor, library refs (`np`), sub-modules. An inert module is
// analysed with its module body only (phase 1: it binds the refs, re-exports and module-level values
// exactly as a full analysis does) and its functions, classes and objects export an `unknown` output
// (no phase 2, no `returnOf`/`outputOf` summaries). A module is inert when
//  - its text names no meaningful library name (`meaningful`; the regexes are built from the tables):
//    a table row counts when one of its import roots is named in the text or may come with a ref of an
//    imported module (`Facts.roots`) and its last segment is a word of the text; a tensor method of the
//    table (`.softmax`, `.exp`, `.clamp`, `.max`) or `.predict_proba` counts as an attribute of anything.
//    A name the interpreter gives a meaning to is always written in the module that calls it, as an
//    identifier, an attribute or an import, except when it comes through another project module;
//  - no function declares `global` (phase 2 would write module bindings that are exported);
//  - every project module it imports, at module level or inside a function (resolved after the module
//    body, as phase 2 would), is inert itself (or cut by the depth limit or a cycle: no facts).
// Then no value of the module has a kind, a producer, `guarded`, `complement`, `expOf`, `sumOfExpOf`,
// `isMax` or `shifted`: each is made only by a meaningful library call, a value that has one, or a
// value of another project module (inert: none, by induction). What a full analysis exported and an
// inert one does not is an output (externalize keeps only tensors, tuples of them, refs) that is a
// kindless, flagless tensor, a tuple of those and refs, or a ref. At a call in the importing file a
// kindless tensor output becomes a kindless tensor (`modelOutput`), a ref output `unknown` already;
// tuples are kept. So the importing file sees `unknown` where it saw a plain tensor, or a tuple's ref.
// Everywhere a rule or the interpreter reads a value, a plain tensor and `unknown` give the same but:
//  - `p + v` with p of a kind: `unknown` v makes it guarded (fewer findings);
//  - SL004's fix is `unsafe` instead of `safe` for a complement whose input is no longer a tensor;
//  - a method of the tables with non-literal arguments on an `unknown` receiver is not taken for a
//    tensor method (`callMethod`'s `literalOnly`): `make(x).softmax(d)`, `make(x).exp(out=o)` lose their
//    kind or `expOf`. Losing a kind loses SL001-SL004/SL007-SL010 findings, but it can also let SL005
//    report a hand-written cross-entropy around a log that SL003/SL004 claimed (its normal behaviour
//    on unknown probabilities), and losing a `logprob` or an `expOf` can let SL005/SL006 report a log
//    or exp they called safe; a ref in a tuple (`xp, _ = backend()`) does the same to `xp.exp(x)`;
//    and SL005's advice names torch instead of the ref's library for `xp.log(p)`.
// Those three need a value made in the importing file from such an output by a method call with
// non-literal arguments, or a library module returned in a tuple; gating them would mean gating every
// name that makes a tensor (`log`, `sum`, `float`, ...), which leaves almost no module inert. The
// CLI's output over all of dist-packages is byte-identical with and without inert modules.

/**
 * The library names that give a value what a rule reads across files, and whose loss could let a
 * rule report more: a kind (and its producer), `guarded`, `complement` (`1 - sigmoid`), `expOf` and
 * `sumOfExpOf` (a hand-written softmax), `isMax` and `shifted` (`x - max(x)`, arithmetic calls).
 */
function meaningful(spec: ApiSpec): boolean {
  switch (spec.role) {
    case 'activation':
    case 'exp':
    case 'guard':
    case 'arith':
    case 'probabilities':
    case 'activation-class':
    case 'layer-class':
    case 'activation-layer':
    case 'sequential':
    case 'functional-model':
    case 'model-base':
    case 'returns-callback':
      return true;
    case 'reduce':
      return spec.op === 'max';
    default:
      return false;
  }
}

interface NameGate {
  /** The library roots, as words. */
  roots: RegExp;
  /** Per import root, the last segments of the meaningful names reached from it, as words. */
  byRoot: Map<string, RegExp>;
  /** The meaningful tensor methods (and `predict_proba`), as attributes: `.exp`, `. softmax`. */
  methods: RegExp;
}

let gate: NameGate | undefined;

function nameGate(): NameGate {
  if (gate) return gate;
  const words = (names: Iterable<string>): string => [...new Set(names)].sort().join('|');
  const leaves = new Map<string, Set<string>>();
  const methods = new Set<string>(probabilityMethodNames);
  for (const { qname, spec, roots } of knownNames()) {
    if (!meaningful(spec)) continue;
    const leaf = qname.slice(qname.lastIndexOf('.') + 1);
    if (!roots) methods.add(leaf);
    else for (const r of roots) leaves.set(r, (leaves.get(r) ?? new Set()).add(leaf));
  }
  return (gate = {
    roots: new RegExp(`\\b(?:${words(libraryRoots)})\\b`, 'g'),
    byRoot: new Map([...leaves].map(([r, l]) => [r, new RegExp(`\\b(?:${words(l)})\\b`)])),
    // Between the dot and the name: spaces, line breaks, comments (`x.\n exp()` inside brackets).
    methods: new RegExp(`\\.(?:\\s|#[^\\n]*\\n)*(?:${words(methods)})\\b`),
  });
}

/** The library roots a module's text names as words, and those its imported modules may export refs of. */
function rootsNamed(text: string, imported: ReadonlySet<string>): Set<string> {
  const out = new Set(imported);
  for (const m of text.matchAll(nameGate().roots)) out.add(m[0]);
  return out;
}

/**
 * Whether a module's text may give a value a meaning: a library name of a meaningful role is reached
 * from an import root (`import numpy as np`, `from torch import nn`: the root is in the text, or a ref
 * comes from an imported module, whose roots are counted) and its last segment is in the text (a
 * call, an attribute, an import); a tensor method is an attribute of any value (`x.softmax(1)`).
 */
function meaningfulText(text: string, roots: ReadonlySet<string>): boolean {
  const g = nameGate();
  if (g.methods.test(text)) return true;
  for (const r of roots) if (g.byRoot.get(r)?.test(text)) return true;
  return false;
}

/**
 * The inert gate once the module body has been walked (a module without `global` in a function): the
 * library roots of an inert module, or undefined. Resolves the imports inside functions as phase 2
 * would, each of which may make the module not inert.
 */
function inertRoots(text: string, functionImports: Stmt[], imported: Imported, options: AnalyzeOptions): Set<string> | undefined {
  if (!imported.inert) return undefined;
  for (const s of functionImports) {
    resolveAsInterpreter(s, options);
    if (!imported.inert) return undefined;
  }
  const named = rootsNamed(text, imported.roots);
  return meaningfulText(text, named) ? undefined : named;
}

/** The import statements inside function bodies, and whether a function declares `global`. */
function scanFunctions(body: Stmt[], inFunction: boolean, out: { imports: Stmt[]; global: boolean }): { imports: Stmt[]; global: boolean } {
  for (const s of body) {
    switch (s.k) {
      case 'import':
      case 'from':
        if (inFunction) out.imports.push(s);
        break;
      case 'other':
        if (inFunction && s.global) out.global = true;
        break;
      case 'def':
        scanFunctions(s.body, true, out);
        break;
      case 'class':
      case 'with':
        scanFunctions(s.body, inFunction, out);
        break;
      case 'if':
        for (const b of s.branches) scanFunctions(b.body, inFunction, out);
        break;
      case 'loop':
        scanFunctions(s.body, inFunction, out);
        scanFunctions(s.orelse, inFunction, out);
        break;
      case 'try':
        scanFunctions(s.body, inFunction, out);
        for (const h of s.handlers) scanFunctions(h.body, inFunction, out);
        scanFunctions(s.orelse, inFunction, out);
        scanFunctions(s.final, inFunction, out);
        break;
    }
  }
  return out;
}

/** The project lookups `Interpreter.stmt` makes for an import statement (library imports make none). */
function resolveAsInterpreter(s: Stmt, options: AnalyzeOptions): void {
  const resolve = options.resolveImport!;
  if (s.k === 'import') {
    for (const n of s.names) {
      const root = n.module.split('.')[0];
      const qname = n.asname ? n.module : root;
      if (!libraryRoots.has(qname.split('.')[0])) resolve(qname, 0, null);
    }
  } else if (s.k === 'from' && (s.level > 0 || !libraryRoots.has(s.module.split('.')[0]))) {
    if (s.names === '*') resolve(s.module, s.level, null);
    else for (const n of s.names) resolve(s.module, s.level, n.name);
  }
}
