// The analysis worker as a worker_threads Worker (the desktop extension host).
import { Worker } from 'node:worker_threads';
import type { TransportFactory } from './client';
import type { WorkerMessage } from './protocol';

export function nodeWorkerTransport(script: string, onWorker?: (w: Worker) => void): TransportFactory {
  return (h) => {
    const w = new Worker(script);
    let stopped = false;
    const exit = (reason: string) => {
      if (stopped) return;
      stopped = true;
      h.exit(reason);
    };
    w.on('message', (m: WorkerMessage) => h.message(m));
    w.on('error', (e) => exit(`error: ${e instanceof Error ? e.message : String(e)}`));
    w.on('exit', (code) => exit(`exit code ${code}`));
    onWorker?.(w);
    return {
      post: (m) => w.postMessage(m),
      terminate: () => {
        stopped = true;
        void w.terminate();
      },
    };
  };
}
