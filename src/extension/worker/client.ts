// The extension host's side of the analysis worker: keeps the worker's copies of the documents in
// step (the text once, then VS Code's content changes), sends requests with document versions,
// drops answers that a newer version made stale, cancels stale work (a queued request is cancelled;
// a stale request that has been running long is stopped by restarting the worker), and restarts the
// worker when it dies, with a line in the output channel. Never blocks: everything heavy is in the worker.
import type { CheckAnswer, EvaluateAnswer, FileEntry, FixAllAnswer, HostMessage, RequestBody, RequestMessage, TextChange, WorkerMessage } from './protocol';

/** Texts longer than this (UTF-16 units) are sent to the worker in pieces of this size. */
const CHUNK = 1 << 19;

export type Log = { debug(m: string): void; info(m: string): void; warn(m: string): void; error(m: string): void };

/** A running worker, as the client sees it. */
export interface Transport {
  post(m: HostMessage): void;
  /** Stops the worker; no `exit` is reported for a stop asked for. */
  terminate(): void;
}

/** Starts a worker; `exit` is called when it dies on its own (crash, out of memory, exit). */
export type TransportFactory = (handlers: { message(m: WorkerMessage): void; exit(reason: string): void }) => Transport;

/** A document as the client needs it (a vscode.TextDocument, a notebook cell's document, a test double). */
export interface SyncDoc {
  readonly version: number;
  getText(): string;
  readonly languageId: string;
}

export interface ClientOptions {
  /** The first message every new worker gets (where the wasm is); messages sent before it are kept by the worker. */
  init: HostMessage | Promise<HostMessage>;
  /** Restarts allowed within `restartWindowMs` before giving up; 3 by default. */
  maxRestarts?: number;
  restartWindowMs?: number;
  /** A request made stale by an edit that has been running this long is stopped by restarting the worker; 2,000 ms by default. */
  cancelStaleAfterMs?: number;
}

export type Answer<T> = { ok: true; value: T } | { ok: false; reason: 'stale' };

type Request = RequestBody;

interface Pending {
  msg: RequestMessage;
  resolve(a: Answer<unknown>): void;
  reject(e: Error): void;
  /** The documents the request reads (uri -> version). */
  docs: Map<string, number>;
  resyncs: number;
  startedAt?: number;
}

interface Tracked {
  doc: SyncDoc;
  version: number;
  path?: string;
}

export class AnalysisClient {
  private transport: Transport | undefined;
  private generation = 0;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly tracked = new Map<string, Tracked>();
  private busy: number | undefined;
  private restarts: number[] = [];
  private failed: string | undefined;
  /** Requests that were running when the worker died: not sent again (uri@version). */
  private readonly poisoned = new Set<string>();
  private readyResolve!: () => void;
  private readyReject!: (e: Error) => void;
  /** Settles when the first worker has loaded the engine. */
  readonly ready: Promise<void>;
  /** Workers started (1 + restarts), for the log and tests. */
  started = 0;

  constructor(
    private readonly factory: TransportFactory,
    private readonly log: Log,
    private readonly options: ClientOptions,
  ) {
    this.ready = new Promise<void>((res, rej) => {
      this.readyResolve = res;
      this.readyReject = rej;
    });
    this.ready.catch(() => undefined);
    this.start();
  }

  private start(): void {
    const gen = ++this.generation;
    // What was queued for the old worker is sent again below (documents in full, waiting requests).
    this.outbox.length = 0;
    this.started++;
    this.busy = undefined;
    this.transport = this.factory({
      message: (m) => gen === this.generation && this.onMessage(m),
      exit: (reason) => gen === this.generation && this.onExit(reason),
    });
    Promise.resolve(this.options.init).then(
      (m) => gen === this.generation && this.send(m),
      (e: unknown) => this.giveUp(`the analysis worker could not be started: ${e instanceof Error ? e.message : String(e)}`),
    );
    // A new worker knows nothing: send the documents again, then the requests still waiting.
    for (const [uri, t] of this.tracked) this.postOpen(uri, t);
    for (const p of this.pending.values()) this.send(p.msg);
  }

  /**
   * Messages go out in order through one queue. A large text is sent in chunks with a pause after
   * each: copying a whole 8 MiB string into a worker message blocks the host for 50-120 ms.
   */
  private readonly outbox: HostMessage[] = [];
  private pumping = false;

  private send(m: HostMessage): void {
    this.outbox.push(m);
    if (!this.pumping) this.pump();
  }

  private pump(): void {
    this.pumping = true;
    while (this.outbox.length) {
      const m = this.outbox.shift()!;
      this.transport?.post(m);
      if ((m.t === 'open' && m.partial) || (m.t === 'append' && !m.done)) {
        setTimeout(() => this.pump(), 0);
        return;
      }
    }
    this.pumping = false;
  }

  private postOpen(uri: string, t: Tracked): void {
    t.version = t.doc.version;
    const text = t.doc.getText();
    const head = { t: 'open' as const, uri, version: t.version, language: t.doc.languageId, ...(t.path !== undefined ? { path: t.path } : {}) };
    if (text.length <= CHUNK) return this.send({ ...head, text });
    this.send({ ...head, text: text.slice(0, CHUNK), partial: true });
    for (let at = CHUNK; at < text.length; at += CHUNK) this.send({ t: 'append', uri, text: text.slice(at, at + CHUNK), done: at + CHUNK >= text.length });
  }

  /** Makes sure the worker has `doc` at its current version (sends the whole text when it does not). */
  sync(uri: string, doc: SyncDoc, path?: string): void {
    const t = this.tracked.get(uri);
    if (t && t.doc === doc && t.version === doc.version && t.path === path) return;
    const n: Tracked = { doc, version: doc.version, path };
    this.tracked.set(uri, n);
    this.postOpen(uri, n);
  }

  isSynced(uri: string): boolean {
    return this.tracked.has(uri);
  }

  /** VS Code's content changes of a synced document; `length` is the document's length after them. */
  change(uri: string, doc: SyncDoc, changes: readonly TextChange[], length: number): void {
    const t = this.tracked.get(uri);
    if (!t) return;
    t.doc = doc;
    t.version = doc.version;
    this.send({ t: 'change', uri, version: doc.version, changes: changes.map((c) => ({ offset: c.offset, length: c.length, text: c.text, start: c.start, end: c.end })), length });
    this.cancelStale(uri, doc.version);
  }

  close(uri: string): void {
    if (!this.tracked.delete(uri)) return;
    this.send({ t: 'close', uri });
    this.cancelStale(uri, Number.POSITIVE_INFINITY);
  }

  /** Files read for the worker's project index, and keys whose files changed. Not kept: a new worker asks again. */
  files(set: FileEntry[], drop: string[] = []): void {
    if (this.failed) return;
    this.send({ t: 'files', ...(set.length ? { set } : {}), ...(drop.length ? { drop } : {}) });
  }

  check(req: Extract<Request, { t: 'check' }>, docs: Map<string, number>): Promise<Answer<CheckAnswer>> {
    return this.request(req, docs) as Promise<Answer<CheckAnswer>>;
  }

  fixAll(req: Extract<Request, { t: 'fixAll' }>, docs: Map<string, number>): Promise<Answer<FixAllAnswer>> {
    return this.request(req, docs) as Promise<Answer<FixAllAnswer>>;
  }

  evaluate(req: Extract<Request, { t: 'evaluate' }>, docs: Map<string, number>): Promise<Answer<EvaluateAnswer>> {
    return this.request(req, docs) as Promise<Answer<EvaluateAnswer>>;
  }

  private request(req: Request, docs: Map<string, number>): Promise<Answer<unknown>> {
    if (this.failed) return Promise.reject(new Error(this.failed));
    for (const [uri, v] of docs) if (this.poisoned.has(`${uri}@${v}`)) return Promise.reject(new Error('the analysis worker stopped while analysing this version of the document; not analysed again until it changes'));
    const msg = { ...req, id: this.nextId++ } as RequestMessage;
    return new Promise((resolve, reject) => {
      this.pending.set(msg.id, { msg, resolve, reject, docs, resyncs: 0 });
      this.send(msg);
    });
  }

  private onMessage(m: WorkerMessage): void {
    switch (m.t) {
      case 'ready':
        this.readyResolve();
        return;
      case 'init-failed':
        this.giveUp(`the analysis engine failed to load: ${m.message}`);
        this.readyReject(new Error(m.message));
        return;
      case 'log':
        this.log[m.level](m.message);
        return;
      case 'busy': {
        this.busy = m.id;
        const p = this.pending.get(m.id);
        if (p) p.startedAt = now();
        return;
      }
      case 'done':
      case 'stale':
      case 'failed': {
        if (this.busy === m.id) this.busy = undefined;
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.t === 'done') p.resolve({ ok: true, value: m.value });
        else if (m.t === 'stale') p.resolve({ ok: false, reason: 'stale' });
        else p.reject(new Error(m.message));
        return;
      }
      case 'resync': {
        if (this.busy === m.id) this.busy = undefined;
        const p = this.pending.get(m.id);
        const t = this.tracked.get(m.uri);
        if (!p) return;
        // The worker's copy is out of step (a lost change): send the text again, then the request once more.
        if (!t || p.resyncs++ > 1) {
          this.pending.delete(m.id);
          p.resolve({ ok: false, reason: 'stale' });
          return;
        }
        this.log.debug(`resending ${m.uri} to the analysis worker`);
        this.postOpen(m.uri, t);
        this.send(p.msg);
        return;
      }
    }
  }

  /** Drops requests about older versions of `uri`; a long-running one is stopped by restarting the worker. */
  private cancelStale(uri: string, version: number): void {
    let restart = false;
    for (const [id, p] of this.pending) {
      const v = p.docs.get(uri);
      if (v === undefined || v >= version) continue;
      if (this.busy === id) {
        const ms = p.startedAt === undefined ? 0 : now() - p.startedAt;
        if (ms < (this.options.cancelStaleAfterMs ?? 2000)) continue;
        this.log.info(`stopping a stale analysis of ${uri} (running for ${ms.toFixed(0)} ms): restarting the analysis worker`);
        restart = true;
      } else this.send({ t: 'cancel', id });
      this.pending.delete(id);
      p.resolve({ ok: false, reason: 'stale' });
    }
    if (restart) {
      this.transport?.terminate();
      this.start();
    }
  }

  private onExit(reason: string): void {
    if (this.failed) return;
    const crashed = this.busy !== undefined ? this.pending.get(this.busy) : undefined;
    if (crashed) {
      // The request that was running is not sent again (it may be what killed the worker).
      this.pending.delete(crashed.msg.id);
      for (const [uri, v] of crashed.docs) this.poisoned.add(`${uri}@${v}`);
      crashed.reject(new Error(`the analysis worker stopped (${reason}) while answering this request`));
    }
    const t = now();
    this.restarts = this.restarts.filter((r) => t - r < (this.options.restartWindowMs ?? 60_000));
    if (this.restarts.length >= (this.options.maxRestarts ?? 3)) {
      this.giveUp(`the analysis worker stopped (${reason}) ${this.restarts.length + 1} times within a minute; Stable Loss stops checking (reload the window to try again)`);
      return;
    }
    this.restarts.push(t);
    this.log.warn(`the analysis worker stopped (${reason}); restarting it`);
    this.start();
  }

  private giveUp(message: string): void {
    if (this.failed) return;
    this.failed = message;
    this.log.error(message);
    this.transport?.terminate();
    this.transport = undefined;
    for (const p of this.pending.values()) p.reject(new Error(message));
    this.pending.clear();
  }

  /** Stops the worker as a crash would (tests). */
  simulateCrash(reason = 'simulated crash'): void {
    this.transport?.terminate();
    this.onExit(reason);
  }

  dispose(): void {
    this.failed ??= 'disposed';
    this.transport?.terminate();
    this.transport = undefined;
    for (const p of this.pending.values()) p.resolve({ ok: false, reason: 'stale' });
    this.pending.clear();
  }
}

function now(): number {
  return globalThis.performance?.now() ?? Date.now();
}
