// The public `corpora` namespace of kernel-lib (what `import * as ser from 'kernel-lib'` gives as
// `ser.corpora`): the names notebooks and users call, grouped by the paper's concepts. Everything
// else in `corpora/` stays internal (tests reach it through `kernel-lib/internal`).

// The four corpora and Table I (section II)
export {
  CORPORA,
  EMOTIONS,
  CORPUS_INFO,
  PAPER_TABLE_I,
  scanCorpora,
  corpusRoot,
  parseClipPath,
  tableI,
  paperTableI,
  compareWithPaper,
} from '../corpora';

// Checking a download against the official manifests
export { verifyCorpora, verificationRows } from '../corpora';

// Describing the clips
export { describeClips, durationRows, formatRows, speakerRows, corpusRows, emotionTitle } from '../corpora';

// The synthetic demo corpus
export { ensureDemoCorpus, demoCorpusDir, isDemoCorpus } from '../corpora';
