// How a fix names a library function: reuse an existing import or alias when there is one, or add an
// import in the file's style. Never duplicates an import.
import type { Module, Stmt } from '../../ir';
import { canonical } from '../../knowledge';
import type { EditSpan } from '../rule';

export interface Imports {
  /** Source text that refers to `qname` with the file's current imports, if any. */
  nameFor(qname: string): string | undefined;
  /**
   * Text for `qname` plus the edits that add the import it needs (`import torch.nn.functional as F`
   * style for torch.nn.functional; `import <root>` otherwise). Undefined when no clean way exists.
   */
  nameWithImport(qname: string): { text: string; edits: EditSpan[] } | undefined;
}

/** Preferred aliases when a fix must add an import (the community's conventions). */
const preferredAlias: Record<string, string> = {
  'torch.nn.functional': 'F',
  numpy: 'np',
  tensorflow: 'tf',
  'jax.numpy': 'jnp',
};

export function collectImports(module: Module, text: string): Imports {
  // local name → module qname (module-level bindings only; they are the ones visible everywhere).
  const bindings = new Map<string, string>();
  const shadowed = new Set<string>();
  let lastImportEnd = -1;
  let firstStmtStart = -1;
  for (const s of module.body) {
    if (firstStmtStart < 0 && !isDocstring(s)) firstStmtStart = s.s;
    if (s.k === 'import') {
      lastImportEnd = s.e;
      for (const n of s.names) {
        if (n.asname) bindings.set(n.asname, n.module);
        else bindings.set(n.module.split('.')[0], n.module.split('.')[0]);
      }
    } else if (s.k === 'from') {
      lastImportEnd = s.e;
      if (s.level === 0 && s.names !== '*') for (const n of s.names) bindings.set(n.asname ?? n.name, `${s.module}.${n.name}`);
    } else {
      for (const name of boundNames(s)) shadowed.add(name);
    }
  }
  for (const n of shadowed) bindings.delete(n);

  const nameFor = (qname: string): string | undefined => {
    const target = canonical(qname);
    let best: string | undefined;
    for (const [local, q] of bindings) {
      const cq = canonical(q);
      if (cq === target) return local;
      if (target.startsWith(cq + '.')) {
        const cand = local + target.slice(cq.length);
        if (!best || cand.length < best.length) best = cand;
      }
    }
    return best;
  };

  return {
    nameFor,
    nameWithImport(qname) {
      const existing = nameFor(qname);
      if (existing) return { text: existing, edits: [] };
      const parts = qname.split('.');
      const mod = parts.slice(0, -1).join('.');
      const leaf = parts[parts.length - 1];
      const alias = preferredAlias[mod];
      let stmt: string;
      let ref: string;
      if (alias) {
        if (bindings.has(alias) || shadowed.has(alias) || usesName(text, alias)) return undefined;
        stmt = `import ${mod} as ${alias}`;
        ref = `${alias}.${leaf}`;
      } else {
        const root = parts[0];
        if (bindings.has(root) || shadowed.has(root)) return undefined;
        stmt = `import ${mod}`;
        ref = qname;
      }
      const nl = text.includes('\r\n') ? '\r\n' : '\n';
      if (lastImportEnd >= 0) return { text: ref, edits: [{ s: lastImportEnd, e: lastImportEnd, content: nl + stmt }] };
      const at = firstStmtStart >= 0 ? firstStmtStart : 0;
      return { text: ref, edits: [{ s: at, e: at, content: stmt + nl }] };
    },
  };
}

/** The name is used somewhere as a variable (so adding it as an alias could clash). */
function usesName(src: string, name: string): boolean {
  return new RegExp(`(^|[^\\w.])${name}\\b`).test(src);
}

function isDocstring(s: Stmt): boolean {
  return s.k === 'expr' && s.value.k === 'str';
}

function boundNames(s: Stmt): string[] {
  switch (s.k) {
    case 'def':
    case 'class':
      return [s.name];
    case 'assign':
      return s.targets.flatMap((t) => (t.k === 'name' ? [t.id] : t.k === 'tuple' || t.k === 'list' ? t.elts.flatMap((x) => (x.k === 'name' ? [x.id] : [])) : []));
    default:
      return [];
  }
}
