// Globals of the pages the browser tests drive with Playwright (code passed to page.evaluate /
// waitForFunction runs in the page, not in Node).
interface Window {
  /** kernel-lib/web/page.ts: the live page's state, read by test/live/page.test.ts */
  serLive: any;
  /** the classic Jupyter Notebook's page object (test/notebooks/jupyter-session.test.ts) */
  Jupyter: any;
  /** execute_reply messages collected by test/notebooks/jupyter-session.test.ts */
  __serReplies: any[];
}
/** the classic Jupyter Notebook's page object */
declare const Jupyter: any;
