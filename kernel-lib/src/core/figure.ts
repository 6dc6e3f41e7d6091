/**
 * A figure is a plotly spec (`{data, layout, config}`): plain data that any layer may build.
 * report/figures shows, saves and exports it; plotly.js itself runs only in a browser.
 */
export interface Figure {
  data: any[];
  layout?: Record<string, any>;
  config?: Record<string, any>;
}
