// The subcommands. To add one (e.g. `eval`), write commands/<name>.ts exporting a Command and list it here.
import { Engine } from '../../core/engine';
import { nodeWasmLoader } from '../../node/wasm';
import type { Command } from '../command';
import { checkCommand } from './check';
import { evalCommand } from './eval';
import { rulesCommand } from './rules';

// The TypeScript/JavaScript grammars are loaded only when a TF.js file is among those checked (about
// 70 ms of a small run); `eval` reads Python only.
export const commands: readonly Command[] = [
  checkCommand((needs) => Engine.create(nodeWasmLoader(), { lazy: needs?.scripts === false })),
  rulesCommand,
  evalCommand(() => Engine.create(nodeWasmLoader(), { lazy: true })),
];
