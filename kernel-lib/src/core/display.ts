/**
 * Notebook display helpers. Inside the tslab kernel they emit rich outputs (HTML, Markdown,
 * PNG, several MIME types in one output); anywhere else (CLI, tests) they are silent no-ops,
 * so library code can call them unconditionally.
 */

type WriteDisplayData = (msg: { data: Record<string, unknown>; metadata: object; transient: object }, update: boolean) => void;

function jupyterModule(): { lastWriteDisplayData: WriteDisplayData | null } | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    return require('tslab/dist/jupyter');
  } catch {
    return null;
  }
}

/** True when running inside a tslab kernel cell. */
export function inNotebook(): boolean {
  const j = jupyterModule();
  return !!j?.lastWriteDisplayData;
}

let displayCounter = 0;

/** One output with several MIME types (e.g. HTML + PNG + text); `displayId` makes it updatable. */
export function displayData(data: Record<string, unknown>, displayId?: string, update = false): void {
  const j = jupyterModule();
  if (!j?.lastWriteDisplayData) return;
  const transient = displayId ? { display_id: displayId } : {};
  j.lastWriteDisplayData({ data, metadata: {}, transient }, update);
}

export function html(s: string): void {
  displayData({ 'text/html': s, 'text/plain': stripTags(s) });
}

export function markdown(s: string): void {
  displayData({ 'text/markdown': s, 'text/plain': s });
}

export function png(bytes: Uint8Array, alt = 'image'): void {
  displayData({ 'image/png': Buffer.from(bytes).toString('base64'), 'text/plain': `<${alt}>` });
}

/** An updatable output (progress bars, live loss curves). */
export class LiveDisplay {
  private readonly id = `ser-live-${process.pid}-${++displayCounter}-${Date.now()}`;
  private shown = false;
  update(data: Record<string, unknown>): void {
    displayData(data, this.id, this.shown);
    this.shown = true;
  }
  html(s: string): void {
    this.update({ 'text/html': s, 'text/plain': stripTags(s) });
  }
  text(s: string): void {
    this.update({ 'text/plain': s });
  }
}

export function stripTags(s: string): string {
  return s
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
