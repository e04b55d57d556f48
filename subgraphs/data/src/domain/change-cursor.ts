import type { DocumentRecord } from '../repositories/index.js';

/**
 * A document's change cursor: where its last change sits in its project's order of changes, as
 * the decimal integer `@platform/realtime` live channels carry (20 digits, zero-padded). It is
 * `updatedAt` in milliseconds times 1000, plus 0-999 taken from the document's id, so two
 * documents of a project changed in the same millisecond still get different cursors (unless
 * their ids fall on the same of the 1000 slots: then the gateway sends only one of the two live).
 * It needs no counter: FerretDB 1.x has no atomic increment a project's writers could share.
 */
const SLOTS = 1000n;
const DIGITS = 20;

export function changeCursor(document: Pick<DocumentRecord, '_id' | 'updatedAt'>): string {
  return changePosition(document).toString().padStart(DIGITS, '0');
}

export function changePosition(document: Pick<DocumentRecord, '_id' | 'updatedAt'>): bigint {
  return BigInt(document.updatedAt.getTime()) * SLOTS + idSlot(document._id);
}

/** The position a cursor names; undefined for anything that is not a change cursor. */
export function cursorPositionOf(cursor: string): bigint | undefined {
  return /^\d{1,20}$/.test(cursor) ? BigInt(cursor) : undefined;
}

/** The earliest `updatedAt` a change after `position` can have. */
export function changedFrom(position: bigint): Date {
  return new Date(Number(position / SLOTS));
}

/** FNV-1a over the id's UTF-16 units, into 0-999: stable across processes and restarts. */
function idSlot(id: string): bigint {
  let hash = 0x811c9dc5;
  for (let index = 0; index < id.length; index += 1) {
    hash ^= id.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return BigInt(hash % 1000);
}
