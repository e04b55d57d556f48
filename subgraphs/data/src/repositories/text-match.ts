/** A case-insensitive "contains" match on a string field; the text matches literally. */
export function containing(text: string) {
  return { $regex: text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), $options: 'i' };
}
