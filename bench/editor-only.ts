// The editor rows of `npm run bench` alone (edit → diagnostics through the worker), for profiling the
// editor path: `node --cpu-prof build/bench/editor-only.js` (the worker's profile is the second file).
import { join } from 'node:path';
import { editorBench, type Row } from './editor';
import { trainingScript } from './script';

(async () => {
  const rows: Row[] = [];
  await editorBench(join(__dirname, '..', '..'), rows, trainingScript, false, false);
  for (const r of rows) console.log(`${r.name} | ${r.value} | ${r.note?.replace(/; parses.*$/, '') ?? ''}`);
})();
