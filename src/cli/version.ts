/** The package's version, put in by the bundler (`aurelis --version`, SARIF and JSON reports). */
declare const AURELIS_VERSION: string | undefined;

export const CLI_VERSION: string = typeof AURELIS_VERSION === 'string' ? AURELIS_VERSION : '0.0.0-dev';
