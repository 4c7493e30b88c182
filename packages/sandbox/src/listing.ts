/**
 * What a page is cut from: a plain array, or a lazy listing from below. At scale a listing holds
 * over 100,000 rows while a page holds at most a few thousand, so building a view of every row
 * for each request and then slicing took tens of milliseconds a page; a lazy listing builds only
 * the rows the page takes.
 */
export interface Listing<T> {
  readonly length: number;
  /** The rows from `start` up to (not including) `end`, as Array.prototype.slice cuts them. */
  slice(start: number, end: number): T[];
}

/** `source` with `view` applied to each row, run only for the rows a page takes. */
export function mapListing<T, U>(source: Listing<T>, view: (row: T) => U): Listing<U> {
  return { length: source.length, slice: (start, end) => source.slice(start, end).map(view) };
}

/** The lists one after another, as one listing, without copying them into one array. */
export function concatListing<T>(parts: readonly Listing<T>[]): Listing<T> {
  return {
    length: parts.reduce((total, part) => total + part.length, 0),
    slice(start, end) {
      const rows: T[] = [];
      let offset = 0;
      for (const part of parts) {
        if (offset >= end) break;
        for (const row of part.slice(Math.max(0, start - offset), end - offset)) rows.push(row);
        offset += part.length;
      }
      return rows;
    },
  };
}
