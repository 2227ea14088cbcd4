/**
 * zod's functional build (`zod/mini`), for the schemas on the extension's start-up path and in the
 * webview. It tree-shakes to the parts used (~35 KB instead of classic zod's ~190 KB), so the
 * status bar shows spend without loading classic zod; the core's request-time schemas stay classic.
 * Import it as `import * as z from '…/shared/zodMini'`.
 * Classic zod configures English messages when it loads; mini does not, so this module does it
 * (the same global configuration: both builds share zod's core).
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

// Re-exported name by name (not as one namespace object), so the bundler keeps only what is used.
export * from 'zod/mini';
