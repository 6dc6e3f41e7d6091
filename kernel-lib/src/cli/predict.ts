/** `ser predict <audio...> --model <dir>`: a saved SVM or CNN applied to any audio files (WAV, AIFF, FLAC, Ogg, MP3; others through ffmpeg). */
import { loadModel, predictFiles } from '../models/predict';
import { ModelDirError } from '../models/saved';
import { type Command, textTable, UsageError } from './command';

const predictCmd: Command = {
  path: ['predict'],
  usage: 'ser predict <audio...> --model <dir> [--json]',
  summary:
    'predict the emotion of audio files (WAV, AIFF, FLAC, Ogg, MP3; M4A and others via ffmpeg) with a model saved by `ser svm --save` or `ser cnn --save` (probability of each emotion)',
  flags: { model: { type: 'string', description: 'saved model directory' } },
  positionals: { min: 1, name: 'audio file(s)' },
  async run(args, io) {
    if (!args.flags.model) throw new UsageError('missing --model <dir>');
    let model: Awaited<ReturnType<typeof loadModel>>;
    try {
      model = await loadModel(args.flags.model);
    } catch (e) {
      if (e instanceof ModelDirError) throw new UsageError(e.message);
      throw e;
    }
    const preds = await predictFiles(model, args.positionals);
    model.dispose?.();
    for (const p of preds) {
      if (p.warning) io.err(`warning: ${p.warning}`);
      if (p.error) io.err(`error: ${p.error}`);
    }
    const classes = model.meta.classes;
    const rows = preds.map((p) => [
      p.file,
      p.ok ? p.emotion! : 'ERROR',
      ...classes.map((c) => (p.ok ? p.probabilities![c].toFixed(3) : '-')),
    ]);
    const failed = preds.filter((p) => !p.ok).length;
    return {
      exitCode: failed ? 1 : 0,
      json: { ok: failed === 0, model: { dir: args.flags.model, kind: model.meta.kind, classes }, predictions: preds },
      text: textTable(['file', 'emotion', ...classes], rows) + (failed ? `\n${failed} file(s) could not be read` : ''),
    };
  },
};

export const commands: Command[] = [predictCmd];
