/**
 * The words of anything thrown, for a log line or a message: an Error's message (its name when
 * the message is empty), a string as it is, an object's `message` when it has one (some
 * libraries throw plain objects), anything else as text. Never throws itself — not even for an
 * object without a prototype, whose String() would.
 */
export function errorMessage(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message || thrown.name;
  if (typeof thrown === 'string') return thrown;
  if (typeof thrown === 'object' && thrown !== null) {
    const { message } = thrown as { message?: unknown };
    if (typeof message === 'string' && message !== '') return message;
  }
  try {
    return String(thrown);
  } catch {
    return Object.prototype.toString.call(thrown);
  }
}
