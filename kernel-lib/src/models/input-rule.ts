/**
 * `ser predict`'s input rule for one file, as far as it needs no disk: the span
 * [offset, offset + duration) of the decoded audio (audio/decode: librosa.load(sr=None,
 * offset, duration) of any format read by content), refused when nothing follows the offset,
 * with a warning when the file is shorter than offset + duration or a lossy decoder skipped
 * damaged frames. models/predict.ts (files on disk) and the live page (dropped files) use it.
 */
import { type AudioInfo, decodeAudio } from '../audio/decode';
import type { SavedModelMeta } from './saved';

/**
 * Checks a clip read by the rule: throws `<file>: only N s long, nothing after the offset`;
 * returns the warning text for a short clip and/or skipped frames, or undefined.
 */
export function inputRuleWarning(
  file: string,
  info: Pick<AudioInfo, 'durationS'>,
  decoderWarnings: string[],
  input: Pick<SavedModelMeta['input'], 'offset' | 'duration'>,
): string | undefined {
  const { offset, duration } = input;
  let warning: string | undefined = decoderWarnings.length
    ? `${file}: ${decoderWarnings.length} damaged frame(s) skipped by the decoder (${decoderWarnings[0]})`
    : undefined;
  if (info.durationS <= offset) throw new Error(`${file}: only ${info.durationS.toFixed(2)} s long, nothing after the ${offset} s offset`);
  if (info.durationS < offset + duration) {
    warning =
      (warning ? `${warning}; ` : '') +
      `${file}: ${info.durationS.toFixed(2)} s long, shorter than offset ${offset} s + duration ${duration} s: using the ${(info.durationS - offset).toFixed(2)} s available`;
  }
  return warning;
}

/**
 * Audio bytes by the rule, at their native rate (the model's classifier resamples them to the
 * model's rate with kaiser_best, as audio.load does): samples, rate and the rule's warning.
 */
export async function decodeForModel(
  bytes: Uint8Array,
  name: string,
  input: Pick<SavedModelMeta['input'], 'offset' | 'duration'>,
): Promise<{ y: Float32Array; sr: number; warning?: string }> {
  const a = await decodeAudio(bytes, { offset: input.offset, duration: input.duration }, name);
  const warning = inputRuleWarning(name, a.info, a.warnings, input);
  return { y: a.y, sr: a.sr, ...(warning ? { warning } : {}) };
}
