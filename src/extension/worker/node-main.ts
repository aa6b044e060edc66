// Entry of the analysis worker in the desktop extension host (worker_threads; bundled to dist/worker.js).
// Reads the wasm from disk and resolves the project's other files (models imported from other modules).
import { parentPort } from 'node:worker_threads';
import { editorProject } from '../project';
import { nodeWasmLoader } from '../../node/wasm';
import type { HostMessage } from './protocol';
import { serve } from './serve';

const port = parentPort;
if (port) {
  serve(
    { post: (m) => port.postMessage(m), onMessage: (h) => port.on('message', (m: HostMessage) => h(m)) },
    (wasm) => ('dir' in wasm ? nodeWasmLoader(wasm.dir) : (f) => Promise.resolve(wasm.files[f] ?? Promise.reject(new Error(`${f} was not sent`)))),
    // Queued requests run on the next turn of the event loop, after the messages that arrived with
    // them (setTimeout(0) would wait for the next timer tick: 1 ms or more per keystroke).
    { projectFor: (roots, openText) => editorProject(roots, openText), later: (f) => void setImmediate(f) },
  );
}
