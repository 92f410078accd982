/** The part of SaxonJS (the package ships no types) that the tests use. */
declare module 'saxon-js' {
  interface TransformOptions {
    /** A compiled stylesheet (SEF), parsed. */
    stylesheetInternal: unknown;
    sourceText: string;
    destination: 'serialized';
  }
  const SaxonJS: {
    transform(options: TransformOptions, mode: 'sync'): { principalResult: unknown };
    XPath: {
      evaluate(expression: string, context: unknown, options?: { params?: Record<string, unknown> }): unknown;
    };
  };
  export default SaxonJS;
}
