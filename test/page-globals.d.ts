// Globals of the pages the browser tests drive with Playwright (code passed to page.evaluate /
// waitForFunction runs in the page, not in Node).

/**
 * kernel-lib/web/page.ts's LiveState (window.serLive), the parts the tests read. The page's own
 * type is not importable here (kernel-lib/web is a separate project), so this is a copy: keep it
 * in step with page.ts.
 */
interface SerLiveState {
  ready: boolean;
  engineError: string | null;
  classes: string[];
  dspEngine: string;
  mic: 'off' | 'starting' | 'on' | 'denied' | 'absent' | 'error';
  micMessage: string;
  deviceRate: number | null;
  windows: { t: number; top: string; probabilities: number[]; totalMs: number }[];
  files: (
    | { type: 'file'; name: string; top: string; probabilities: number[]; message?: undefined }
    | { type: 'error'; name: string; message: string; top?: undefined; probabilities?: undefined }
  )[];
  measure: {
    sr: number;
    source: string;
    windows: number;
    medianMs: number;
    p90Ms: number;
    minMs: number;
    stagesMs: { resample: number; features: number; predict: number };
    timings: unknown[];
  } | null;
}

/** The classic Jupyter Notebook's objects that test/notebooks/jupyter-session.test.ts uses. */
interface JupyterOutput {
  output_type: string;
  /** error outputs */
  ename?: string;
  evalue?: string;
  /** stream outputs: 'stdout' | 'stderr' */
  name?: string;
  text?: string;
}
interface JupyterCell {
  cell_type: string;
  /** the execution count, '*' while queued or running, null before */
  input_prompt_number: number | string | null;
  output_area: { outputs: JupyterOutput[] };
}
/** an execute_reply message as CodeCell._handle_execute_reply receives it */
interface JupyterExecuteReply {
  content: { status: string; ename?: string; evalue?: string };
}
interface JupyterNotebook {
  kernel: { name: string; is_connected(): boolean };
  get_cells(): JupyterCell[];
  find_cell_index(cell: JupyterCell): number;
  set_autosave_interval(ms: number): void;
  execute_all_cells(): void;
}
interface JupyterPage {
  notebook: JupyterNotebook;
}
/** what the test's execute_reply hook records per reply */
interface SerReply {
  index: number;
  status: string;
  ename?: string;
  evalue?: string;
}

interface Window {
  /** kernel-lib/web/page.ts: the live page's state, read by test/live/page.test.ts */
  serLive: SerLiveState;
  /** the classic Jupyter Notebook's page object (test/notebooks/jupyter-session.test.ts) */
  Jupyter: JupyterPage;
  /** execute_reply messages collected by test/notebooks/jupyter-session.test.ts */
  __serReplies: SerReply[];
}
/** the classic Jupyter Notebook's page object */
declare const Jupyter: JupyterPage;
