// The bootstrap shared by the worker entries: waits for `init`, loads the engine, then hands every
// message to an AnalysisServer. Messages that arrive while the engine loads are kept and handled after.
import { Engine, type WasmLoader } from '../../core';
import type { HostMessage, WorkerMessage } from './protocol';
import { AnalysisServer, type ServerOptions } from './server';

export interface Port {
  post(m: WorkerMessage): void;
  onMessage(handler: (m: HostMessage) => void): void;
}

/** `loaderFor` turns the init message's wasm location into a loader this worker can use. */
export function serve(port: Port, loaderFor: (wasm: Extract<HostMessage, { t: 'init' }>['wasm']) => WasmLoader, options: ServerOptions = {}): void {
  let server: AnalysisServer | undefined;
  let waiting: HostMessage[] | undefined = [];
  port.onMessage((m) => {
    if (server) return server.receive(m);
    if (m.t !== 'init') return void waiting?.push(m);
    // Python's grammar only at start; the TypeScript/JavaScript ones when a document needs them.
    Engine.create(loaderFor(m.wasm), { lazy: true }).then(
      (engine) => {
        server = new AnalysisServer(engine, (x) => port.post(x), options);
        port.post({ t: 'ready' });
        for (const w of waiting ?? []) server.receive(w);
        waiting = undefined;
      },
      (e: unknown) => port.post({ t: 'init-failed', message: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
    );
  });
}
