// Entry of the analysis worker in the web extension host (a Web Worker started by dist/web/extension.js;
// bundled to dist/web/worker.js). The host reads the wasm files with VS Code's file system API and
// sends their bytes; there is no project index (no synchronous file system).
import type { HostMessage, WorkerMessage } from './protocol';
import { serve } from './serve';

interface WorkerScope {
  postMessage(m: WorkerMessage): void;
  addEventListener(type: 'message', h: (e: { data: HostMessage }) => void): void;
}
const scope = globalThis as unknown as WorkerScope;

serve(
  { post: (m) => scope.postMessage(m), onMessage: (h) => scope.addEventListener('message', (e) => h(e.data)) },
  (wasm) => (f) => ('files' in wasm && wasm.files[f] ? Promise.resolve(wasm.files[f]) : Promise.reject(new Error(`${f} was not sent to the worker`))),
);
