/**
 * The paper's one input rule (III.A): every clip is read as
 * `librosa.load(path, sr=22050, offset=0.5, duration=2.5)`: 55125 samples at 22050 Hz, mono.
 * Every feature store, mel image, saved model and prediction starts from it; a recipe variant
 * (e.g. sr=44100, no offset) is a different value of the same three fields.
 */
export interface InputRule {
  /** target sample rate in Hz */
  sr: number;
  /** seconds skipped at the start of the file */
  offset: number;
  /** seconds kept after the offset */
  duration: number;
}

export const INPUT_RULE: Readonly<InputRule> = Object.freeze({ sr: 22050, offset: 0.5, duration: 2.5 });
