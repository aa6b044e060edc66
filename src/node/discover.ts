// Finds the files to check under the paths given on the command line: folders are walked for the
// given extensions, skipping the default excludes (as Ruff's), the configured and --exclude globs,
// and what .gitignore files in the tree (and above it, up to the repository root) ignore. Paths
// named on the command line are checked even when an exclude or .gitignore would skip them.
// Symlinked folders are not followed; a symlinked file is checked when its target is inside the tree.
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { ConfigResolver, type LoadedConfig } from './config';
import { compilePattern, isIgnored, parseGitignore, type IgnoreLayer, type IgnoreRule } from './gitignore';
import { osReason } from './read';
import { isInside } from './write';

/** Ruff's default `exclude`: folders (and files) by name, anywhere in the tree. */
export const DEFAULT_EXCLUDES: readonly string[] = [
  '.bzr', '.direnv', '.eggs', '.git', '.git-rewrite', '.hg', '.ipynb_checkpoints', '.mypy_cache', '.nox',
  '.pants.d', '.pyenv', '.pytest_cache', '.pytype', '.ruff_cache', '.svn', '.tox', '.venv', '.vscode',
  '__pypackages__', '_build', 'buck-out', 'build', 'dist', 'node_modules', 'site-packages', 'venv',
];

export interface DiscoverOptions {
  cwd: string;
  /** File name endings to collect from folders, e.g. [".py"]. */
  extensions: readonly string[];
  configs: ConfigResolver;
  /** --exclude: replaces the configured (or default) excludes; relative globs against the cwd. */
  exclude?: readonly string[];
  /** --extend-exclude: added to them. */
  extendExclude?: readonly string[];
  /** Respect .gitignore files (default true). */
  gitignore?: boolean;
}

export interface DiscoveredFile {
  /** Absolute path. */
  path: string;
  /** Relative to the cwd when inside it, else absolute: what messages show. */
  display: string;
  /** Real path of the checked tree it came from (a folder); writes must stay inside it. */
  root: string;
  /** Named on the command line. */
  explicit: boolean;
  config: LoadedConfig;
}

export interface DiscoveryError {
  path: string;
  reason: string;
}

export function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

export function displayPath(cwd: string, abs: string): string {
  return isInside(cwd, abs) && abs !== cwd ? relative(cwd, abs) : abs;
}

export function discoverFiles(paths: readonly string[], opts: DiscoverOptions): { files: DiscoveredFile[]; errors: DiscoveryError[] } {
  const files = new Map<string, DiscoveredFile>();
  const errors: DiscoveryError[] = [];
  const excludeCache = new Map<LoadedConfig, IgnoreLayer[]>();
  const excludesFor = (config: LoadedConfig): IgnoreLayer[] => {
    let layers = excludeCache.get(config);
    if (!layers) excludeCache.set(config, (layers = excludeLayers(config, opts)));
    return layers;
  };
  // One entry per real file: a symlink to a file already listed (or listed later) is dropped, so
  // --fix never writes the same file twice.
  const byReal = new Map<string, string>();
  const add = (abs: string, root: string, explicit: boolean, config: LoadedConfig, real = safeRealpath(abs)) => {
    if (files.has(abs) || byReal.has(real)) return;
    byReal.set(real, abs);
    files.set(abs, { path: abs, display: displayPath(opts.cwd, abs), root, explicit, config });
  };
  const links: { full: string; root: string; config: LoadedConfig; real: string }[] = [];

  for (const p of paths) {
    const abs = resolve(opts.cwd, p);
    let st;
    try {
      st = statSync(abs);
    } catch (e) {
      errors.push({ path: p, reason: osReason(e) });
      continue;
    }
    if (!st.isDirectory()) {
      add(abs, safeRealpath(dirname(abs)), true, opts.configs.forDir(dirname(abs)));
      continue;
    }
    const root = safeRealpath(abs);
    const gitLayers = opts.gitignore === false ? [] : ancestorGitignores(abs);
    walk(abs, root, gitLayers);
  }

  /** `dir` is the folder as named (`top`); `root` its real path. Folder links are never followed, so below `top` real = root + relative. */
  function walk(top: string, root: string, inherited: IgnoreLayer[]): void {
    const stack: { dir: string; git: IgnoreLayer[] }[] = [{ dir: top, git: inherited }];
    while (stack.length) {
      const { dir: d, git: parentGit } = stack.pop()!;
      let entries: Dirent[];
      try {
        entries = readdirSync(d, { withFileTypes: true });
      } catch (e) {
        errors.push({ path: displayPath(opts.cwd, d), reason: `cannot read the folder: ${osReason(e)}` });
        continue;
      }
      let git = parentGit;
      if (opts.gitignore !== false && entries.some((e) => e.name === '.gitignore' && !e.isDirectory())) {
        const rules = readIgnoreFile(join(d, '.gitignore'));
        if (rules.length) git = [...parentGit, { base: toPosix(d), rules }];
      }
      const config = opts.configs.forDir(d);
      const excludes = excludesFor(config);
      const subdirs: string[] = [];
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const e of entries) {
        const full = join(d, e.name);
        const isDir = e.isDirectory();
        const isFile = e.isFile();
        if (e.isSymbolicLink()) {
          // Folders behind links are not followed (no cycles, no leaving the tree); files are
          // checked when their target is inside the tree.
          let target;
          try {
            target = statSync(full);
          } catch {
            continue; // a broken link
          }
          if (target.isDirectory()) continue;
          const real = safeRealpath(full);
          if (!isInside(root, real) || !target.isFile()) continue;
          if (!opts.extensions.some((x) => e.name.endsWith(x))) continue;
          const posixLink = toPosix(full);
          if (!isIgnored(excludes, posixLink, false) && !isIgnored(git, posixLink, false)) links.push({ full, root, config, real });
          continue;
        }
        if (!isDir && !isFile) continue;
        if (isFile && !opts.extensions.some((x) => e.name.endsWith(x))) continue;
        const posix = toPosix(full);
        if (isIgnored(excludes, posix, isDir)) continue;
        if (isIgnored(git, posix, isDir)) continue;
        if (isDir) subdirs.push(full);
        else add(full, root, false, config, join(root, relative(top, full)));
      }
      for (let i = subdirs.length - 1; i >= 0; i--) stack.push({ dir: subdirs[i]!, git });
    }
  }

  // Links last: the file they point to wins when both are in the tree.
  for (const l of links) add(l.full, l.root, false, l.config, l.real);
  const list = [...files.values()].sort((a, b) => (a.display < b.display ? -1 : a.display > b.display ? 1 : 0));
  return { files: list, errors };
}

function excludeLayers(config: LoadedConfig, opts: DiscoverOptions): IgnoreLayer[] {
  const layers: IgnoreLayer[] = [];
  const addGlobs = (globs: readonly string[], base: string) => {
    const named: IgnoreRule[] = [];
    const anchored: IgnoreRule[] = [];
    for (const g of globs) {
      const r = compilePattern(g, false);
      if (r) (r.basename ? named : anchored).push(r);
    }
    if (named.length) layers.push({ base: '', rules: named });
    if (anchored.length) layers.push({ base: toPosix(base), rules: anchored });
  };
  if (opts.exclude) addGlobs(opts.exclude, opts.cwd);
  else if (config.config?.exclude) addGlobs(config.config.exclude, config.base);
  else addGlobs(DEFAULT_EXCLUDES, opts.cwd);
  if (config.config?.extendExclude.length) addGlobs(config.config.extendExclude, config.base);
  if (opts.extendExclude?.length) addGlobs(opts.extendExclude, opts.cwd);
  return layers;
}

/** .gitignore files above `dir` up to its repository root, and .git/info/exclude; [] outside a repository. */
function ancestorGitignores(dir: string): IgnoreLayer[] {
  const chain: string[] = [];
  let d = dirname(dir);
  let gitRoot: string | null = existsSync(join(dir, '.git')) ? dir : null;
  while (!gitRoot) {
    chain.push(d);
    if (existsSync(join(d, '.git'))) gitRoot = d;
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  if (!gitRoot) return [];
  const layers: IgnoreLayer[] = [];
  const info = readIgnoreFile(join(gitRoot, '.git', 'info', 'exclude'));
  if (info.length) layers.push({ base: toPosix(gitRoot), rules: info });
  for (const a of chain.reverse()) {
    const rules = readIgnoreFile(join(a, '.gitignore'));
    if (rules.length) layers.push({ base: toPosix(a), rules });
  }
  return layers;
}

function readIgnoreFile(path: string): IgnoreRule[] {
  try {
    if (!lstatSync(path).isFile()) return [];
    return parseGitignore(readFileSync(path, 'utf8'));
  } catch {
    return [];
  }
}

function safeRealpath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}
