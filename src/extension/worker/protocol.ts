// The messages between the extension host and the analysis worker. Plain, structured-clonable data
// (worker_threads and Web Workers both copy it). The host keeps the worker's copy of each document in
// step (open with the text, then VS Code's content changes, with versions); requests name the
// document version they are about, and the worker answers `stale` when a newer version has arrived.
import type { AnalysisNote, Finding, Range, RelatedInformation, Settings } from '../../core';

/** One VS Code content change: `length` UTF-16 units at `offset` replaced by `text`; `start`/`end` as positions before the change. */
export interface TextChange {
  offset: number;
  length: number;
  text: string;
  start: { line: number; character: number };
  end: { line: number; character: number };
}

/** The notebook a cell belongs to: its code cells in order (the program is their texts joined). */
export interface NotebookRef {
  uri: string;
  cells: { uri: string; version: number; /** Index among all cells of the notebook, for messages. */ index?: number }[];
}

/** What a request is about: one document at one version, or a cell of a notebook (checked as one program). */
export interface Target {
  uri: string;
  version: number;
  notebook?: NotebookRef;
}

export interface CheckParams {
  target: Target;
  settings: Settings;
  /** For messages and the project index. */
  path?: string;
  /** VS Code's language id (python, typescript, ...). */
  language: string;
  /** Workspace folders on disk: where the Node worker resolves the project's other files. */
  roots?: string[];
  /**
   * The project index over files the host reads for the worker (the web host; non-file: documents):
   * keys are `scheme://authority` + decoded POSIX path. Lookups the worker has no answer for are
   * returned in `CheckAnswer.wanted`; the host sends them (`files`) and asks again.
   */
  files?: { prefix: string; path: string; roots: string[] };
}

/** A file the host read for the worker's project index: `text` null when absent, a folder, unreadable or too large. */
export interface FileEntry {
  path: string;
  exists: boolean;
  text: string | null;
}

export type HostMessage =
  | { t: 'init'; wasm: { dir: string } | { files: Record<string, Uint8Array> } }
  /** `partial`: the text continues in `append` messages (a large text is sent in pieces, the host pausing in between). */
  | { t: 'open'; uri: string; version: number; language: string; text: string; path?: string; partial?: boolean }
  | { t: 'append'; uri: string; text: string; done: boolean }
  | { t: 'change'; uri: string; version: number; changes: TextChange[]; /** The text's length after the changes, to detect a lost change. */ length: number }
  | { t: 'close'; uri: string }
  /** Files read for the project index (`set`), and keys whose files changed (`drop`: the key and everything under it). */
  | { t: 'files'; set?: FileEntry[]; drop?: string[] }
  | { t: 'cancel'; id: number }
  | ({ t: 'check'; id: number } & CheckParams)
  | ({ t: 'fixAll'; id: number; unsafe: boolean } & CheckParams)
  | { t: 'evaluate'; id: number; target: Target; offset: number };

export type RequestMessage = Extract<HostMessage, { t: 'check' | 'fixAll' | 'evaluate' }>;

/** A request before the client numbers it. */
export type RequestBody = RequestMessage extends infer R ? (R extends RequestMessage ? Omit<R, 'id'> : never) : never;

/** Related information may point at another cell of the notebook (`uri`) or another file (`path`). */
export interface WireRelated extends RelatedInformation {
  uri?: string;
}

export interface WireFinding extends Omit<Finding, 'related'> {
  related: WireRelated[];
}

/** Findings per document: one entry for a file, one per code cell for a notebook. */
export interface CheckAnswer {
  files: { uri: string; version: number; findings: WireFinding[] }[];
  notes: AnalysisNote[];
  /** How the tree was obtained, for the log and the tests. */
  parse: 'incremental' | 'full' | 'reused' | 'none';
  /** How the analysis was obtained (an edit session's; absent when the text was not analysed), for the log and the bench. */
  analysis?: 'reused' | 'function' | 'full';
  ms: number;
  /** Keys the project index looked up that the worker has not been sent (`CheckParams.files`): treated as absent in this answer. */
  wanted?: string[];
}

export interface FixAllAnswer {
  /** One replacement turning the document's text into the fixed text; null when nothing changed. */
  edit: { start: number; end: number; content: string } | null;
  applied: number;
  passes: number;
  converged: boolean;
}

export interface EvaluateAnswer {
  markdown?: string;
  /** UTF-16 offsets in the target document (the cell, for a notebook). */
  span?: { s: number; e: number };
  error?: string;
}

export type WorkerMessage =
  | { t: 'ready' }
  | { t: 'init-failed'; message: string }
  | { t: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; message: string }
  /** The worker started a request (the host may cancel stale long work by restarting the worker). */
  | { t: 'busy'; id: number }
  | { t: 'done'; id: number; value: unknown }
  /** A newer version of the document arrived before the request ran, or the request was cancelled. */
  | { t: 'stale'; id: number }
  /** The worker's copy of a document is missing or out of step: the host sends the text again. */
  | { t: 'resync'; id: number; uri: string }
  | { t: 'failed'; id: number; message: string };

export type { Range };
