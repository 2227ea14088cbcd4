// The list of test files, generated when scripts/host/bundle-host-tests.mjs bundles the harness.
declare module 'aurelis:host-test-files' {
  /** `load` requires the file, which registers its `describe`/`it` blocks with mocha. */
  export const hostTestFiles: readonly { file: string; load: () => unknown }[];
}
