declare module 'saxon-js' {
  const SaxonJS: { transform(options: Record<string, unknown>, mode: 'sync'): { principalResult: string } };
  export default SaxonJS;
}
