// The subcommands. To add one (e.g. `eval`), write commands/<name>.ts exporting a Command and list it here.
import { Engine } from '../../core/engine';
import { nodeWasmLoader } from '../../node/wasm';
import type { Command } from '../command';
import { checkCommand } from './check';
import { evalCommand } from './eval';
import { rulesCommand } from './rules';

export const commands: readonly Command[] = [checkCommand(() => Engine.create(nodeWasmLoader())), rulesCommand, evalCommand(() => Engine.create(nodeWasmLoader()))];
