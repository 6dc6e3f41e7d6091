/**
 * `ser live [--model <dir>] [--port 8765]`: the local page that classifies the microphone (and
 * dropped files) with a saved SVM model, in the browser, with the same feature and SVM code as
 * `ser predict` (live/server.ts serves it on 127.0.0.1; Ctrl-C stops it).
 */
import { liveModelProblem } from '../live/classifier';
import { ensureLiveDemoModel } from '../live/default-model';
import { startLiveServer } from '../live/server';
import { ModelDirError, readModelMeta, type SavedModelMeta } from '../models/saved';
import { type Command, UsageError } from './command';

const liveCmd: Command = {
  path: ['live'],
  usage: 'ser live [--model <dir>] [--port 8765]',
  summary:
    'a local web page (127.0.0.1 only, works offline) that classifies your microphone live and dropped audio files with a saved SVM model, ' +
    'in the browser, with the same feature and SVM code as `ser predict`; default model: SYNTHETIC demo corpus, made on first use',
  flags: {
    model: {
      type: 'string',
      description: "a model directory saved by 'ser svm --save' (default: the demo-corpus model, made on first use)",
    },
    port: { type: 'number', description: 'port on 127.0.0.1 (0: any free port)', default: 8765 },
  },
  async run(args, io) {
    const port = args.flags.port as number;
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be an integer in 0..65535, got ${port}`);
    const say = args.flags.json ? io.err : io.out;
    let dir: string;
    let meta: SavedModelMeta;
    if (args.flags.model) {
      dir = args.flags.model as string;
      try {
        meta = readModelMeta(dir);
      } catch (e) {
        if (e instanceof ModelDirError) throw new UsageError(e.message);
        throw e;
      }
      const problem = liveModelProblem(meta);
      if (problem) throw new UsageError(`${dir}: ${problem}`);
    } else {
      ({ dir, meta } = await ensureLiveDemoModel((line) => io.err(`[ser live] ${line}`)));
    }
    let server: Awaited<ReturnType<typeof startLiveServer>>;
    try {
      server = await startLiveServer({ modelDir: dir, meta, port });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const synthetic = (meta.training as { synthetic?: boolean }).synthetic === true;
    say(`ser live: ${server.url}`);
    say(
      `  model ${dir} (${meta.classes.length} classes${synthetic ? ", SYNTHETIC demo corpus: a demonstration, not the paper's accuracy" : ''})`,
    );
    say('  serving on 127.0.0.1 only; the page sends nothing anywhere. Ctrl-C to stop.');
    const signal = await new Promise<string>((resolve) => {
      const stop = (sig: string) => {
        process.removeListener('SIGINT', onInt);
        process.removeListener('SIGTERM', onTerm);
        resolve(sig);
      };
      const onInt = () => stop('SIGINT');
      const onTerm = () => stop('SIGTERM');
      process.on('SIGINT', onInt);
      process.on('SIGTERM', onTerm);
    });
    await server.close();
    return { json: { ok: true, url: server.url, model: dir, stoppedBy: signal }, text: `ser live: stopped (${signal})` };
  },
};

export const commands: Command[] = [liveCmd];
