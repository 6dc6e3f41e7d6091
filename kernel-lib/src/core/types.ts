/**
 * Labels and records shared by the corpus loaders, the feature store and the evaluation code.
 * The 8 emotions in the order of the paper's tables (Table I-V).
 */
export const EMOTIONS = ['angry', 'calm', 'disgust', 'fear', 'happy', 'neutral', 'sad', 'surprised'] as const;
export type Emotion = (typeof EMOTIONS)[number];

/** The four corpora, in the column order of Table I. */
export const CORPORA = ['CREMA-D', 'RAVDESS', 'SAVEE', 'TESS'] as const;
export type CorpusName = (typeof CORPORA)[number];

/** One labelled clip found by the scanner. */
export interface Clip {
  corpus: CorpusName;
  emotion: Emotion;
  /** speaker id, unique across corpora (e.g. 'CREMA-D:1001', 'RAVDESS:12', 'SAVEE:DC', 'TESS:OAF') */
  speaker: string;
  /** stable clip id, unique across corpora (e.g. 'RAVDESS:03-01-05-01-01-01-02') */
  clipId: string;
  /** absolute path of the WAV file */
  path: string;
}

export function emotionIndex(e: Emotion): number {
  return EMOTIONS.indexOf(e);
}
