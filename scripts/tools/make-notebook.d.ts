// Types of make-notebook.js for test/notebooks/committed.test.ts, which rebuilds each notebook
// from its text source.

/** a cell as build() writes it */
export interface BuiltCell {
  cell_type: 'markdown' | 'code';
  id: string;
  metadata: Record<string, never>;
  source: string[];
  /** code cells */
  execution_count?: null;
  outputs?: never[];
}

/** The output-free nbformat-4 notebook of a text source ("%% md" / "%% code" cells). */
export declare function build(text: string): {
  cells: BuiltCell[];
  metadata: {
    kernelspec: { name: string; display_name: string; language: string };
    language_info: { name: string; file_extension: string; mimetype: string };
  };
  nbformat: number;
  nbformat_minor: number;
};
