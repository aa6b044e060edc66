// Ways to start the analysis worker: in-process (tests, benchmarks; same protocol, messages delivered
// asynchronously), and a Web Worker (the web extension host). The worker_threads one is in
// ./node-transport.ts so the web bundle does not reference Node.
import type { HostMessage, WorkerMessage } from './protocol';
import { AnalysisServer, type ServerEngine, type ServerOptions } from './server';
import type { TransportFactory } from './client';

/**
 * The server in this thread. Messages are delivered in a later task, like a worker's; the init
 * message is answered with `ready` (the engine is given, already loaded).
 */
export function inProcessTransport(engine: ServerEngine | Promise<ServerEngine> | (() => Promise<ServerEngine>), options: ServerOptions = {}): TransportFactory & { servers: AnalysisServer[] } {
  const servers: AnalysisServer[] = [];
  const factory = (h: Parameters<TransportFactory>[0]) => {
    let alive = true;
    let server: AnalysisServer | undefined;
    const toHost = (m: WorkerMessage) => setTimeout(() => alive && h.message(m), 0);
    const waiting: HostMessage[] = [];
    Promise.resolve(typeof engine === 'function' ? engine() : engine).then(
      (e) => {
        server = new AnalysisServer(e, toHost, options);
        servers.push(server);
        toHost({ t: 'ready' });
        for (const m of waiting.splice(0)) server.receive(m);
      },
      (e: unknown) => toHost({ t: 'init-failed', message: String(e) }),
    );
    return {
      post: (m: HostMessage) =>
        void setTimeout(() => {
          if (!alive) return;
          if (server) server.receive(m);
          else waiting.push(m);
        }, 0),
      terminate: () => void (alive = false),
    };
  };
  return Object.assign(factory, { servers });
}

interface WebWorker {
  postMessage(m: HostMessage, transfer?: unknown[]): void;
  terminate(): void;
  onmessage: ((e: { data: WorkerMessage }) => void) | null;
  onerror: ((e: { message?: string }) => void) | null;
}

type Handlers = Parameters<TransportFactory>[0];

/**
 * A Web Worker running the worker script, whose text is given: VS Code's web extension host refuses
 * `new Worker(url)` for an extension served by a remote (code-server, Codespaces), so the script
 * runs from a same-origin blob: URL. Where no worker can be created at all, `fallback` (the engine
 * in this thread, as before) takes over and a line says so.
 */
export function webWorkerTransport(script: Promise<string>, fallback: TransportFactory, create: (url: string) => WebWorker = defaultCreate): TransportFactory {
  return (h) => {
    let worker: WebWorker | undefined;
    let inner: ReturnType<TransportFactory> | undefined;
    let stopped = false;
    const queue: HostMessage[] = [];
    script
      .then((code) => {
        if (stopped) return;
        const url = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
        const w = create(url);
        w.onmessage = (e) => h.message(e.data);
        w.onerror = (e) => {
          if (stopped) return;
          stopped = true;
          w.terminate();
          h.exit(`error: ${e?.message ?? 'unknown'}`);
        };
        worker = w;
        for (const m of queue.splice(0)) w.postMessage(m);
      })
      .catch((e: unknown) => {
        if (stopped) return;
        h.message({ t: 'log', level: 'warn', message: `no Web Worker in this extension host (${e instanceof Error ? e.message : String(e)}): analysing on the extension host itself` });
        inner = fallback(h as Handlers);
        for (const m of queue.splice(0)) inner.post(m);
      });
    return {
      post: (m) => (worker ? worker.postMessage(m) : inner ? inner.post(m) : void queue.push(m)),
      terminate: () => {
        stopped = true;
        worker?.terminate();
        inner?.terminate();
      },
    };
  };
}

function defaultCreate(url: string): WebWorker {
  return new (globalThis as unknown as { Worker: new (u: string) => WebWorker }).Worker(url);
}
