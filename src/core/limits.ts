// The sizes beyond which a file is not analysed: generated or data files are no training scripts, and
// analysing them would only block. A module of its own, so the extension host checks a document's
// size without loading the engine (the parser runtime, rules and kernel live in the analysis worker).
export const DEFAULT_LIMITS = { maxChars: 8 * 2 ** 20, maxLines: 100_000 };
