/** Every file under a folder, read as text: for tests that prove a secret was written nowhere. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export function allText(dir: string): string {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(dir, name))
    .filter((file) => statSync(file).isFile())
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n');
}
