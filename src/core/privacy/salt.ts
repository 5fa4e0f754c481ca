/**
 * The salt of pseudonymisation: 32 random bytes from the operating system's CSPRNG
 * (`crypto.randomBytes`), kept in a file the user keeps private.
 *
 * File format: the 64 lower-case hex digits of the salt and a newline (a comment line starting
 * with `#` may precede it). Created with mode 0600 (owner read/write only) and exclusively
 * (`wx`), so two concurrent runs never write two different salts; an existing file is reused, so
 * pseudonyms stay the same from one run to the next.
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { RmlInputError } from '../errors';

/** Salt length in bytes. */
export const SALT_BYTES = 32;

/** A salt read from, or written to, a salt file. */
export interface SaltFile {
  /** Absolute path of the file. */
  file: string;
  salt: Buffer;
  /** True when this call created the file. */
  created: boolean;
  /** E.g. "readable by other users". */
  warnings: string[];
}

/**
 * Read the salt in `file`, or create the file with a new random salt when it does not exist
 * (creating missing parent folders with mode 0700).
 * @throws RmlInputError when the file exists but is not a salt file (wrong length, not hex),
 *   is a directory, or cannot be read or written
 */
export async function loadOrCreateSalt(file: string): Promise<SaltFile> {
  const abs = path.resolve(file);
  const existing = await readSalt(abs);
  if (existing) return existing;
  const salt = randomBytes(SALT_BYTES);
  const text = `# rml pseudonymisation salt: keep this file private and out of version control.\n${salt.toString('hex')}\n`;
  try {
    await fsp.mkdir(path.dirname(abs), { recursive: true, mode: 0o700 });
    await fsp.writeFile(abs, text, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    // Another run created it first: use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      const raced = await readSalt(abs);
      if (raced) return raced;
    }
    throw new RmlInputError(`cannot create the salt file ${abs}: ${(err as Error).message}`, { file: abs, line: 1, column: 1 });
  }
  return { file: abs, salt, created: true, warnings: [] };
}

/** The salt in an existing salt file, or undefined when there is no file. */
export async function readSalt(file: string): Promise<SaltFile | undefined> {
  const abs = path.resolve(file);
  let text: string;
  try {
    const st = await fsp.stat(abs);
    if (st.isDirectory()) throw new RmlInputError(`the salt file is a directory: ${abs}`, { file: abs, line: 1, column: 1 });
    if (st.size > 4096) throw new RmlInputError(`${abs} is not a salt file (${st.size} bytes; a salt file holds 64 hex digits)`, { file: abs, line: 1, column: 1 });
    text = await fsp.readFile(abs, 'utf8');
  } catch (err) {
    if (err instanceof RmlInputError) throw err;
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new RmlInputError(`cannot read the salt file ${abs}: ${(err as Error).message}`, { file: abs, line: 1, column: 1 });
  }
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const index = lines.findIndex((l) => l.length > 0 && !l.startsWith('#'));
  const hex = index >= 0 ? lines[index] : '';
  // Never echo the file's content: it is a secret.
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) {
    throw new RmlInputError(`${abs} is not a salt file: it must hold ${SALT_BYTES * 2} hex digits (${SALT_BYTES} bytes) on one line`, { file: abs, line: index >= 0 ? index + 1 : 1, column: 1 });
  }
  const warnings: string[] = [];
  if (process.platform !== 'win32') {
    const mode = (await fsp.stat(abs)).mode & 0o777;
    if (mode & 0o077) warnings.push(`the salt file ${abs} is readable by other users (mode ${mode.toString(8).padStart(4, '0')}); run: chmod 600 '${abs}'`);
  }
  return { file: abs, salt: Buffer.from(hex, 'hex'), created: false, warnings };
}
