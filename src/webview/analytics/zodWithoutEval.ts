/**
 * Must be the webview's first import. Zod compiles object parsers with `new Function` unless told
 * not to, and decides that when a schema is created — at import time of the modules that define
 * schemas. Under the panel's CSP (no 'unsafe-eval') the probe is refused and reported as a
 * violation, so zod is switched to its interpreter before any schema exists.
 */
import * as z from '../../shared/zodMini';

z.config({ jitless: true });
