// The one entry point every adapter calls: text (+ settings) in, plain data out.
import { Parsers, type WasmLoader } from './parser';
import { defaultSettings, type CheckResult, type Settings } from './types';

export interface CheckOptions {
  /** Used for messages only; the core never reads files. */
  path?: string;
  settings?: Settings;
}

export class Engine {
  private constructor(readonly parsers: Parsers) {}

  static async create(load: WasmLoader): Promise<Engine> {
    return new Engine(await Parsers.create(load, ['python']));
  }

  check(text: string, options: CheckOptions = {}): CheckResult {
    const settings = options.settings ?? defaultSettings;
    void settings;
    const tree = this.parsers.parse('python', text);
    try {
      return { findings: [], notes: [], parsed: true };
    } finally {
      tree.delete();
    }
  }
}
