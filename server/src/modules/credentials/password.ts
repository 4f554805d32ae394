import { randomInt } from 'node:crypto';
import argon2 from 'argon2';

/**
 * argon2id with OWASP's minimum recommended cost (19 MiB, 2 passes, 1 lane): tens of milliseconds a hash on this
 * class of machine, which bounds what a stolen database gives an attacker without making sign-in slow.
 */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** A hash of a random secret, verified against when the username is unknown so timing does not reveal it. */
let dummyHash: Promise<string> | null = null;
export function dummyVerify(password: string): Promise<boolean> {
  dummyHash ??= hashPassword(generateOneTimePassword());
  return dummyHash.then((h) => verifyPassword(h, password));
}

// No 0/O, 1/l/I: one-time passwords are read off a screen and typed.
const LETTERS = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';

/** A random 16-character password with letters and digits (≈ 93 bits), shown once and changed at first sign-in. */
export function generateOneTimePassword(length = 16): string {
  const all = LETTERS + DIGITS;
  const chars: string[] = [LETTERS[randomInt(LETTERS.length)]!, DIGITS[randomInt(DIGITS.length)]!];
  while (chars.length < length) chars.push(all[randomInt(all.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}
