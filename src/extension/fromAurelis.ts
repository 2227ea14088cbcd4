/**
 * A notification's text, said once as Aurelis's: `Aurelis: <message>`, unless the message
 * already begins with "Aurelis" ("Aurelis ignores this workspace's…"), which would otherwise read
 * "Aurelis: Aurelis ignores…".
 */
export function fromAurelis(message: string): string {
  return /^Aurelis\b/.test(message) ? message : `Aurelis: ${message}`;
}
