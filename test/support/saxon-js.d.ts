/** The part of SaxonJS (the package ships no types) that en16931.ts uses. */
declare module 'saxon-js' {
  interface TransformOptions {
    /** A compiled stylesheet (SEF), parsed. */
    stylesheetInternal: unknown;
    sourceText: string;
    destination: 'serialized';
  }
  const SaxonJS: {
    transform(options: TransformOptions, mode: 'sync'): { principalResult: unknown };
  };
  export default SaxonJS;
}
