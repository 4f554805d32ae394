import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32

let lastTime = 0;
let lastRandom: Uint8Array = new Uint8Array(10);

/**
 * A ULID: 48-bit millisecond time + 80 random bits, 26 characters, sortable by creation time. Ids are made in the
 * app (not by the database) so both dialects behave the same. Within one millisecond the random part is incremented,
 * so ids made by this process stay strictly increasing.
 */
export function newId(now: number = Date.now()): string {
  let rnd: Uint8Array;
  if (now <= lastTime) {
    now = lastTime;
    rnd = Uint8Array.from(lastRandom);
    for (let i = rnd.length - 1; i >= 0; i--) {
      rnd[i] = (rnd[i]! + 1) & 0xff;
      if (rnd[i] !== 0) break;
    }
  } else {
    rnd = randomBytes(10);
  }
  lastTime = now;
  lastRandom = rnd;
  let out = '';
  let t = now;
  const timeChars: string[] = [];
  for (let i = 0; i < 10; i++) {
    timeChars.unshift(ALPHABET[t % 32]!);
    t = Math.floor(t / 32);
  }
  out = timeChars.join('');
  // 80 bits → 16 base32 characters.
  let acc = 0;
  let bits = 0;
  for (const byte of rnd) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(acc >> (bits - 5)) & 31];
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
  }
  return out;
}

/** A random secret (session tokens, one-time passwords), base64url. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Current time as ISO-8601 UTC text: the one time format stored in the database. */
export function nowIso(now: Date = new Date()): string {
  return now.toISOString();
}
