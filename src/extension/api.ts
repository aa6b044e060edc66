// The adapter's modules take the `vscode` namespace as an argument instead of importing it, so the
// in-process tests can run them against a small fake; only the two entry points import 'vscode'.
import type * as vscode from 'vscode';

export type VSCode = typeof vscode;
