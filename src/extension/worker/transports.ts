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
export function inProcessTransport(engine: ServerEngine | Promise<ServerEngine>, options: ServerOptions = {}): TransportFactory & { servers: AnalysisServer[] } {
  const servers: AnalysisServer[] = [];
  const factory = (h: Parameters<TransportFactory>[0]) => {
    let alive = true;
    let server: AnalysisServer | undefined;
    const toHost = (m: WorkerMessage) => setTimeout(() => alive && h.message(m), 0);
    const waiting: HostMessage[] = [];
    Promise.resolve(engine).then(
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

/** A Web Worker running `url` (VS Code's web extension host lets an extension start one from its own files). */
export function webWorkerTransport(url: string, create: (url: string) => WebWorker = (u) => new (globalThis as unknown as { Worker: new (u: string) => WebWorker }).Worker(u)): TransportFactory {
  return (h) => {
    const w = create(url);
    let stopped = false;
    w.onmessage = (e) => h.message(e.data);
    w.onerror = (e) => {
      if (stopped) return;
      stopped = true;
      w.terminate();
      h.exit(`error: ${e?.message ?? 'unknown'}`);
    };
    return {
      post: (m) => w.postMessage(m),
      terminate: () => {
        stopped = true;
        w.terminate();
      },
    };
  };
}
