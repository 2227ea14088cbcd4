/**
 * The files a ZIP archive (a VSIX) holds and their sizes, read from its central directory, so
 * the bench reports the bundle that actually ships rather than whatever `dist/` holds at the
 * moment (other builds share the working tree).
 */
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
/** The end record is 22 bytes plus a comment of up to 65,535. */
const MAX_END_RECORD = 22 + 0xffff;

export interface ZipEntry {
  name: string;
  compressedBytes: number;
  bytes: number;
}

export function zipEntries(zip: Buffer): ZipEntry[] {
  const end = findEndRecord(zip);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== CENTRAL_DIRECTORY_ENTRY) throw new Error(`the ZIP central directory is damaged at entry ${i}`);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    entries.push({
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
      compressedBytes: zip.readUInt32LE(at + 20),
      bytes: zip.readUInt32LE(at + 24),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function findEndRecord(zip: Buffer): number {
  if (zip.length < 22) throw new Error('not a ZIP archive (too short)');
  const lowest = Math.max(0, zip.length - MAX_END_RECORD);
  for (let at = zip.length - 22; at >= lowest; at--) if (zip.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY) return at;
  throw new Error('not a ZIP archive (no end of central directory record)');
}
