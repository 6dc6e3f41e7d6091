// The public `core` namespace of kernel-lib (what `import * as ser from 'kernel-lib'` gives as
// `ser.core`): the names notebooks and users call, grouped by the paper's concepts. Everything
// else in `core/` stays internal (tests reach it through `kernel-lib/internal`).

// The run and the ground rules
export { runContext, INPUT_RULE, EMOTIONS, CORPORA, mulberry32 } from '../core';
export type { Emotion, CorpusName, Clip, Figure } from '../core';
