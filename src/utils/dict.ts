/**
 * Objects keyed by user data (column names, request keys). A plain `{}` inherits from
 * Object.prototype, so a column named "constructor" or "valueOf" seems present when it is
 * not, and assigning "__proto__" replaces the prototype instead of storing a column. These
 * objects have no prototype: every key is just a key.
 */

/** An empty object with no prototype, for keys that come from data. */
export const dict = <T>(): Record<string, T> => Object.create(null) as Record<string, T>;

/** `o[key]` when `key` is o's own property, else undefined (never an inherited member). */
export const own = <T>(o: Record<string, T>, key: string): T | undefined =>
  Object.hasOwn(o, key) ? o[key] : undefined;
